import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { authorityLog, defaultScope, FileCachePlugin, msalAuth, postForm, tokenEndpoint, whoAmI } from './helpers.js';

const PUBLIC_CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';
const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dvas-msal-cache-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A new application instance over a cache file: what each run of the CLI is. */
function publicApp(cacheFile: string) {
  return new PublicClientApplication({ auth: msalAuth(emulator(), PUBLIC_CLIENT), cache: { cachePlugin: new FileCachePlugin(cacheFile) } });
}

function scopes(): string[] {
  return [`${emulator().url}/user_impersonation`];
}

describe('a persisted msal token cache against the emulator', () => {
  it('a second application instance signs in silently from the cache file, with no token request', async () => {
    const cacheFile = join(directory, 'user.json');
    const first = await publicApp(cacheFile).acquireTokenByDeviceCode({ scopes: scopes(), deviceCodeCallback: () => undefined });
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
    const requestsBefore = (await authorityLog(emulator())).tokenRequests;

    const second = publicApp(cacheFile);
    const [account, ...others] = await second.getTokenCache().getAllAccounts();
    expect(others).toEqual([]);
    const admin = user(emulator(), DEMO.admin);
    expect(account?.homeAccountId).toBe(`${admin.azureactivedirectoryobjectid}.${emulator().tenantId}`);
    const silent = await second.acquireTokenSilent({ account: account ?? first!.account!, scopes: scopes() });
    expect(silent.fromCache).toBe(true);
    expect(silent.accessToken).toBe(first?.accessToken);
    expect((await authorityLog(emulator())).tokenRequests).toBe(requestsBefore);
  });

  it('forceRefresh redeems the refresh token (grant_type=refresh_token) for a new token the Web API accepts', async () => {
    const cacheFile = join(directory, 'refresh.json');
    const first = await publicApp(cacheFile).acquireTokenByDeviceCode({ scopes: scopes(), deviceCodeCallback: () => undefined });
    const later = publicApp(cacheFile);
    const [account] = await later.getTokenCache().getAllAccounts();
    const refreshed = await later.acquireTokenSilent({ account: account!, scopes: scopes(), forceRefresh: true });
    expect(refreshed.fromCache).toBe(false);
    expect(refreshed.accessToken).not.toBe(first?.accessToken);
    expect(emulator().authority.log.entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'refresh_token', clientId: PUBLIC_CLIENT, status: 200 });
    expect(await whoAmI(emulator(), refreshed.accessToken)).toMatchObject({ status: 200, userId: user(emulator(), DEMO.admin).systemuserid });
  });

  it('persists app-only tokens too: a new confidential client instance makes no token request', async () => {
    const cacheFile = join(directory, 'app.json');
    const confidentialApp = () =>
      new ConfidentialClientApplication({
        auth: { ...msalAuth(emulator(), DEMO_APP.clientId), clientSecret: DEMO_APP.clientSecret },
        cache: { cachePlugin: new FileCachePlugin(cacheFile) },
      });
    expect((await confidentialApp().acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] }))?.fromCache).toBe(false);
    const requestsBefore = emulator().authority.log.tokenRequests;
    const again = await confidentialApp().acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    expect(again?.fromCache).toBe(true);
    expect(emulator().authority.log.tokenRequests).toBe(requestsBefore);
  });
});

describe('refresh token grant errors', () => {
  async function refreshTokenOf(clientId: string): Promise<string> {
    const issued = await postForm(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: `openid offline_access ${scopes()[0]}` });
    const redeemed = await postForm(tokenEndpoint(emulator()), { grant_type: 'device_code', client_id: clientId, device_code: String(issued.json.device_code) });
    return String(redeemed.json.refresh_token);
  }

  it('an unknown refresh token is invalid_grant AADSTS9002313', async () => {
    const response = await postForm(tokenEndpoint(emulator()), { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token: 'nonsense', scope: scopes()[0] ?? '' });
    expect(response).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [9002313] } });
  });

  it('a refresh token works only for the client it was issued to (invalid_grant AADSTS70000)', async () => {
    const token = await refreshTokenOf(PUBLIC_CLIENT);
    const response = await postForm(tokenEndpoint(emulator()), { grant_type: 'refresh_token', client_id: DEMO_APP.clientId, refresh_token: token, scope: scopes()[0] ?? '' });
    expect(response).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [70000] } });
    const own = await postForm(tokenEndpoint(emulator()), { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token: token, scope: scopes()[0] ?? '' });
    expect(own.status).toBe(200);
  });

  it('gives no refresh token or ID token when offline_access and openid are not asked for', async () => {
    const issued = await postForm(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_CLIENT, scope: scopes()[0] ?? '' });
    const redeemed = await postForm(tokenEndpoint(emulator()), { grant_type: 'device_code', client_id: PUBLIC_CLIENT, device_code: String(issued.json.device_code) });
    expect(Object.keys(redeemed.json).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'scope', 'token_type']);
  });
});
