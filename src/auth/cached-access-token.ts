import { readFile } from 'node:fs/promises';
import type { AccessToken } from './token-provider.js';

/** msal's own margin: a token this close to its expiry is renewed rather than used. */
export const RENEWAL_MARGIN_MS = 5 * 60_000;

/**
 * Hosts msal files tokens under for an authority: Microsoft's clouds are cached under one alias
 * (login.microsoftonline.com's tokens say `login.windows.net`); any other authority under its host.
 */
const CACHE_ALIASES: ReadonlyArray<readonly string[]> = [
  ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  ['login.microsoftonline.us', 'login.usgovcloudapi.net', 'login-us.microsoftonline.com'],
  ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
];

export interface CachedTokenQuery {
  clientId: string;
  /** The authority's host[:port]. */
  authorityHost: string;
  tenantId: string;
  scope: string;
  /** The signed-in person's account; undefined for app-only tokens. */
  homeAccountId?: string;
}

/**
 * A still-valid access token straight from the msal token cache file, without loading msal.
 * Loading msal-node costs about a tenth of a second; with a cached token, which is what most runs
 * have, nothing else of msal is needed. The file is msal's (the unified cache schema shared by the
 * MSAL libraries), read only: anything that does not match exactly (other client, tenant, account
 * or scope; a token near its expiry or due for refresh; claims or a proof-of-possession binding;
 * an unreadable file) is a miss, and msal itself takes over.
 */
export async function readCachedAccessToken(cacheFile: string, query: CachedTokenQuery, now: number): Promise<AccessToken | undefined> {
  let entries: unknown[];
  try {
    const cache: unknown = JSON.parse(await readFile(cacheFile, 'utf8'));
    if (!isObject(cache) || !isObject(cache.AccessToken)) return undefined;
    entries = Object.values(cache.AccessToken);
  } catch {
    return undefined;
  }
  const environments = cacheEnvironments(query.authorityHost);
  const scope = query.scope.toLowerCase();
  let best: AccessToken | undefined;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const matches =
      entry.credential_type === 'AccessToken' &&
      lower(entry.client_id) === query.clientId.toLowerCase() &&
      (entry.home_account_id ?? '') === (query.homeAccountId ?? '') &&
      environments.includes(lower(entry.environment)) &&
      lower(entry.realm) === query.tenantId.toLowerCase() &&
      lower(entry.target).split(' ').includes(scope) &&
      (entry.token_type === undefined || lower(entry.token_type) === 'bearer') &&
      entry.requestedClaimsHash === undefined &&
      entry.key_id === undefined &&
      typeof entry.secret === 'string';
    if (!matches) continue;
    const expiresOn = seconds(entry.expires_on);
    const refreshOn = seconds(entry.refresh_on);
    if (expiresOn === undefined || expiresOn - RENEWAL_MARGIN_MS <= now || (refreshOn !== undefined && refreshOn <= now)) continue;
    if (!best || best.expiresOn.getTime() < expiresOn) best = { token: String(entry.secret), expiresOn: new Date(expiresOn) };
  }
  return best;
}

function cacheEnvironments(host: string): readonly string[] {
  const lowerHost = host.toLowerCase();
  return CACHE_ALIASES.find((aliases) => aliases.includes(lowerHost)) ?? [lowerHost];
}

function seconds(value: unknown): number | undefined {
  const number = typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number * 1000 : undefined;
}

function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
