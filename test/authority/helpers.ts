import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { emulatorMsalAuthority, type RunningEmulator } from '../../src/emulator/index.js';
import type { AuthorityLogEntry } from '../../src/emulator/authority/request-log.js';

/** The msal-node auth options for the emulator's authority, plus a client id. */
export function msalAuth(emulator: RunningEmulator, clientId: string) {
  return { clientId, ...emulatorMsalAuthority(emulator.url, emulator.tenantId) };
}

/** The Dataverse scope for app-only tokens. */
export function defaultScope(emulator: RunningEmulator): string {
  return `${emulator.url}/.default`;
}

export function tokenEndpoint(emulator: RunningEmulator, tenant = emulator.tenantId): string {
  return `${emulator.url}/${tenant}/oauth2/v2.0/token`;
}

/** WhoAmI with a bearer token, over real HTTP. */
export async function whoAmI(emulator: RunningEmulator, token: string): Promise<{ status: number; userId?: string; challenge: string | null }> {
  const response = await fetch(`${emulator.apiUrl}WhoAmI`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  const json = (await response.json()) as { UserId?: string };
  return { status: response.status, ...(json.UserId ? { userId: json.UserId } : {}), challenge: response.headers.get('www-authenticate') };
}

/** A raw form POST, as an OAuth client sends it; for error shapes msal does not expose. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

export async function postJson(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

/** The authority's request log as another process would read it: over HTTP. */
export async function authorityLog(emulator: RunningEmulator): Promise<{ tokenRequests: number; entries: AuthorityLogEntry[] }> {
  const response = await fetch(`${emulator.url}/_emulator/authority/log`);
  return (await response.json()) as { tokenRequests: number; entries: AuthorityLogEntry[] };
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The file cache plugin (msal-node ICachePlugin, docs/network-and-sign-in.md): how dvas persists msal's cache between runs. */
export class FileCachePlugin implements ICachePlugin {
  constructor(private readonly file: string) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    try {
      context.tokenCache.deserialize(await readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(this.file), `.cache.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(context.tokenCache.serialize(), 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
  }
}

