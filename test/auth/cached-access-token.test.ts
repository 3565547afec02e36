import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readCachedAccessToken, type CachedTokenQuery } from '../../src/auth/cached-access-token.js';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';

// If msal were loaded at all in this file, importing it would fail (vitest reports an error
// "when mocking a module").
vi.mock('@azure/msal-node', () => {
  throw new Error('msal-node was loaded');
});
const MSAL_LOADED = /error when mocking a module/;

const NOW = Date.parse('2026-11-21T10:00:00Z');
const TENANT = 'b98d1783-90e3-5b02-b6d8-8adc95f876e3';
const CLIENT = '8c3a7f3e-5d1b-4c1e-9a61-2f0d4c3b7a10';
const HOME = `00de81ac-eea4-5ee0-bac2-66b166842b4c.${TENANT}`;

/** An AccessToken entry in msal's cache schema, as msal-node 7 writes it (see the msal sign-in tests). */
function entry(overrides: Record<string, string> = {}) {
  return {
    home_account_id: '',
    environment: '127.0.0.1:5555',
    credential_type: 'AccessToken',
    client_id: CLIENT,
    secret: 'cached-token',
    realm: TENANT,
    target: 'http://127.0.0.1:5555/.default',
    cached_at: String(NOW / 1000 - 60),
    expires_on: String(NOW / 1000 + 3600),
    extended_expires_on: String(NOW / 1000 + 7200),
    token_type: 'Bearer',
    ...overrides,
  };
}

let directory: string;
let cacheFile: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dvas-cache-'));
  cacheFile = join(directory, 'token-cache.json');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeCache(...entries: Array<Record<string, string>>) {
  const AccessToken = Object.fromEntries(entries.map((value, index) => [`key-${index}`, value]));
  await writeFile(cacheFile, JSON.stringify({ Account: {}, IdToken: {}, AccessToken, RefreshToken: {}, AppMetadata: {} }));
}

const appQuery: CachedTokenQuery = { clientId: CLIENT, authorityHost: '127.0.0.1:5555', tenantId: TENANT, scope: 'http://127.0.0.1:5555/.default' };

describe('reading a token from the msal cache file', () => {
  it('finds an app-only token for the client, authority, tenant and scope', async () => {
    await writeCache(entry());
    expect(await readCachedAccessToken(cacheFile, appQuery, NOW)).toEqual({ token: 'cached-token', expiresOn: new Date(NOW + 3600_000) });
  });

  it('finds a person’s token by account, among scopes msal added', async () => {
    await writeCache(entry({ home_account_id: HOME, target: 'http://127.0.0.1:5555/.default openid profile offline_access', secret: 'user-token' }));
    expect((await readCachedAccessToken(cacheFile, { ...appQuery, homeAccountId: HOME }, NOW))?.token).toBe('user-token');
    expect(await readCachedAccessToken(cacheFile, appQuery, NOW)).toBeUndefined();
  });

  it('matches Microsoft cloud aliases: login.microsoftonline.com tokens are filed under login.windows.net', async () => {
    await writeCache(entry({ environment: 'login.windows.net', target: 'https://contoso.crm.dynamics.com/.default' }));
    const query = { ...appQuery, authorityHost: 'login.microsoftonline.com', scope: 'https://contoso.crm.dynamics.com/.default' };
    expect((await readCachedAccessToken(cacheFile, query, NOW))?.token).toBe('cached-token');
  });

  it.each([
    ['another client', { client_id: '11111111-1111-1111-1111-111111111111' }],
    ['another tenant', { realm: '22222222-2222-2222-2222-222222222222' }],
    ['another environment', { target: 'http://127.0.0.1:5555/other/.default' }],
    ['another authority', { environment: '127.0.0.1:6666' }],
    ['a person’s token', { home_account_id: HOME }],
    ['expiring within five minutes', { expires_on: String(NOW / 1000 + 240) }],
    ['due for refresh', { refresh_on: String(NOW / 1000 - 1) }],
    ['a proof-of-possession token', { token_type: 'pop' }],
    ['a token with claims', { requestedClaimsHash: 'abc' }],
    ['another credential type', { credential_type: 'AccessToken_With_AuthScheme' }],
  ])('misses %s', async (_what, overrides) => {
    await writeCache(entry(overrides));
    expect(await readCachedAccessToken(cacheFile, appQuery, NOW)).toBeUndefined();
  });

  it('picks the token that lasts longest', async () => {
    await writeCache(entry({ secret: 'short', expires_on: String(NOW / 1000 + 900) }), entry({ secret: 'long' }));
    expect((await readCachedAccessToken(cacheFile, appQuery, NOW))?.token).toBe('long');
  });

  it.each(['', '{ not json', '[]', '{"AccessToken":[]}'])('a missing or unreadable file (%j) is a miss', async (contents) => {
    if (contents) await writeFile(cacheFile, contents);
    expect(await readCachedAccessToken(cacheFile, appQuery, NOW)).toBeUndefined();
  });
});

describe('the token provider with a cached token', () => {
  const dispatcher = createHttpDispatcher({});
  const profile = profileFor('http://127.0.0.1:5555', { auth: 'client-secret', clientId: CLIENT, tenantId: TENANT });
  const provider = () => createTokenProvider(profile, { env: {}, io: bufferIO(), dispatcher, cacheFile });

  it('returns it without loading msal (and so without needing the secret)', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    try {
      await writeCache(entry());
      expect((await provider().getToken()).token).toBe('cached-token');
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a miss, or when a refresh is forced, hands over to msal', async () => {
    await writeCache(entry({ expires_on: '1' }));
    await expect(provider().getToken()).rejects.toThrow(MSAL_LOADED);
    await writeCache(entry({ expires_on: String(Date.now() / 1000 + 3600) }));
    await expect(provider().getToken({ forceRefresh: true })).rejects.toThrow(MSAL_LOADED);
  });
});
