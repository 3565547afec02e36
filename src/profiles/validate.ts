import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isLoopbackHostname } from '../http/loopback.js';
import { GUID_PATTERN, GUID_SOURCE } from '../dataverse/facts.js';
import { AUTH_KINDS, type AuthKind } from './types.js';
import { quote } from '../output/terminal-text.js';

/**
 * Checks of single profile values. Each returns the cleaned value or a `problem`: the end of a
 * sentence that the caller starts with where the value came from ("--url", "DVAS_URL", the profiles
 * file), so one rule gives the right message and exit code in every place.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Letters, digits, `_` and `-`: safe as a file-name part and as a JSON key with no dot-path meaning. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const API_VERSION_PATTERN = /^v\d{1,2}\.\d{1,2}$/;
export const DEFAULT_API_VERSION = 'v9.2';

export function checkProfileName(name: string): Checked<string> {
  return PROFILE_NAME_PATTERN.test(name)
    ? { ok: true, value: name }
    : { ok: false, problem: `must be 1 to 64 letters, digits, "_" or "-", not ${quote(name)}` };
}

export function checkGuid(value: string): Checked<string> {
  return GUID_PATTERN.test(value)
    ? { ok: true, value: value.toLowerCase() }
    : { ok: false, problem: `must be a GUID such as 00000000-0000-0000-0000-000000000000, not ${quote(value)}` };
}

/**
 * A DNS name as Entra takes one for a tenant (a verified domain, such as contoso.onmicrosoft.com or
 * contoso.com): ASCII labels of letters, digits and inner hyphens, at least two, the last one not
 * all digits (so an IP address is not one). International names are given in their xn-- form.
 */
const LABEL_SOURCE = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const TOP_LABEL_SOURCE = '[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const DOMAIN_NAME_SOURCE = `(?:${LABEL_SOURCE}\\.)+${TOP_LABEL_SOURCE}`;
const DOMAIN_NAME_PATTERN = new RegExp(`^${DOMAIN_NAME_SOURCE}$`);
const MAX_DOMAIN_NAME_LENGTH = 253;
/** A tenant as a profile keeps it: its id (a GUID) or one of its domain names. */
export const TENANT_PATTERN = new RegExp(`^(?:${GUID_SOURCE}|${DOMAIN_NAME_SOURCE})$`);
/** Entra's multi-tenant aliases: they name no tenant, and dvas signs in to one. */
const TENANT_ALIASES = ['common', 'organizations', 'consumers'];

/** Whether a (checked) tenant is a tenant id rather than a domain name. */
export function isTenantId(tenant: string): boolean {
  return GUID_PATTERN.test(tenant);
}

/**
 * A tenant, as Entra accepts it in an authority URL: the tenant id, or a domain name the tenant
 * owns. Both are kept in lower case (Entra compares them without case).
 */
export function checkTenant(value: string): Checked<string> {
  if (GUID_PATTERN.test(value)) return { ok: true, value: value.toLowerCase() };
  const lower = value.toLowerCase();
  if (TENANT_ALIASES.includes(lower)) {
    return { ok: false, problem: `must name one tenant, by its id or a domain name such as contoso.onmicrosoft.com, not the multi-tenant alias ${quote(value)}` };
  }
  if (value.includes('/') || value.includes(':')) {
    return { ok: false, problem: `must be a tenant id or domain name such as contoso.onmicrosoft.com, not a URL or path (${quote(value)}); an authority URL goes in --authority` };
  }
  if (value.length <= MAX_DOMAIN_NAME_LENGTH && DOMAIN_NAME_PATTERN.test(value)) return { ok: true, value: lower };
  return {
    ok: false,
    problem: `must be a tenant id (a GUID such as 00000000-0000-0000-0000-000000000000) or a domain name of the tenant (such as contoso.onmicrosoft.com), not ${quote(value)}`,
  };
}

export function checkAuthKind(value: string): Checked<AuthKind> {
  const kind = AUTH_KINDS.find((candidate) => candidate === value);
  return kind ? { ok: true, value: kind } : { ok: false, problem: `must be one of ${AUTH_KINDS.join(', ')}, not ${quote(value)}` };
}

export function checkApiVersion(value: string): Checked<string> {
  return API_VERSION_PATTERN.test(value) ? { ok: true, value } : { ok: false, problem: `must look like v9.2, not ${quote(value)}` };
}

function parseServiceUrl(raw: string): Checked<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: `must be a URL such as https://contoso.crm.dynamics.com, not ${quote(raw)}` };
  }
  if (url.username || url.password) return { ok: false, problem: 'must not contain a user name or password' };
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    return { ok: false, problem: `must use https (plain http is allowed only on loopback, such as 127.0.0.1), not ${quote(raw)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: `must use https, not ${quote(raw)}` };
  return { ok: true, value: url };
}

export interface EnvironmentUrl {
  /** The origin, e.g. https://contoso.crm.dynamics.com: what the token scope and the API base are built from. */
  url: string;
  /** Set when a pasted URL had a path (e.g. /api/data/v9.1/ or /main.aspx?…) that was dropped. */
  droppedPath?: string;
  /** The version in a pasted /api/data/vX.Y path. */
  apiVersionInPath?: string;
}

/**
 * An environment URL is reduced to its origin: people paste the Web API URL or a browser address,
 * and both name the same environment. The caller tells them what was dropped.
 */
export function checkEnvironmentUrl(raw: string): Checked<EnvironmentUrl> {
  const parsed = parseServiceUrl(raw);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  const rest = `${url.pathname}${url.search}${url.hash}`;
  const result: EnvironmentUrl = { url: url.origin };
  if (rest !== '/' && rest !== '') {
    result.droppedPath = rest;
    const version = /^\/api\/data\/(v\d{1,2}\.\d{1,2})(\/|$)/i.exec(url.pathname)?.[1];
    if (version) result.apiVersionInPath = version.toLowerCase();
  }
  return { ok: true, value: result };
}

/** An authority (sovereign cloud, AD FS, the emulator) keeps its path, which names the tenant. */
export function checkAuthority(raw: string): Checked<string> {
  const parsed = parseServiceUrl(raw);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  if (url.search || url.hash) return { ok: false, problem: `must not have a query or fragment, not ${quote(raw)}` };
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** A certificate or key file: must be a readable file now. Only its absolute path is kept, never its content. */
export function checkReadableFile(raw: string): Checked<string> {
  const path = isAbsolute(raw) ? raw : resolve(raw);
  try {
    if (!statSync(path).isFile()) return { ok: false, problem: `must be a file, and ${quote(path)} is not` };
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    return { ok: false, problem: code === 'ENOENT' ? `names a file that does not exist: ${quote(path)}` : `names a file dvas cannot read: ${quote(path)}` };
  }
  return { ok: true, value: path };
}
