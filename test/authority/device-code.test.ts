import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { AuthError, PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { emulatorMsalAuthority, SeedError, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { until } from '../helpers/until.js';
import { authorityLog, decodeClaims, postForm, postJson, tokenEndpoint, whoAmI } from './helpers.js';

/** Microsoft's sample public client: what dvas uses for device code sign-ins by default. */
const PUBLIC_CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';

const manual = useEmulator();
const autoApproving = useEmulator({ approveDeviceCodes: DEMO.sam });
const shortLived = useEmulator({ deviceCodeLifetimeSeconds: 1 });
// The same lifetime on a clock the test moves, for the cases that need no msal polling in real time.
const shortLivedClock = new TestClock();
const shortLivedByHand = useEmulator({ deviceCodeLifetimeSeconds: 1, clock: shortLivedClock });

function publicApp(emulator: RunningEmulator, tenant = emulator.tenantId) {
  return new PublicClientApplication({ auth: { clientId: PUBLIC_CLIENT, ...emulatorMsalAuthority(emulator.url, tenant) } });
}

function scopesFor(emulator: RunningEmulator): string[] {
  return [`${emulator.url}/user_impersonation`];
}

const waitFor = (condition: () => Promise<boolean>, what: string) => until(condition, what, 5_000);

describe('device code sign-in (msal-node PublicClientApplication)', () => {
  it('approved automatically as the person named by approveDeviceCodes', async () => {
    const shown: Array<Parameters<DeviceCodeRequest['deviceCodeCallback']>[0]> = [];
    const result = await publicApp(autoApproving()).acquireTokenByDeviceCode({
      scopes: scopesFor(autoApproving()),
      deviceCodeCallback: (response) => shown.push(response),
    });
    const sam = user(autoApproving(), DEMO.sam);
    expect(shown[0]).toMatchObject({ verificationUri: `${autoApproving().url}/devicelogin`, interval: 1, expiresIn: 900 });
    expect(shown[0]?.userCode).toMatch(/^[A-Z0-9]{9}$/);
    expect(shown[0]?.message).toContain(shown[0]?.userCode);
    expect(result?.account).toMatchObject({
      homeAccountId: `${sam.azureactivedirectoryobjectid}.${autoApproving().tenantId}`,
      username: sam.domainname,
      tenantId: autoApproving().tenantId,
    });
    expect(decodeClaims(result?.accessToken ?? '')).toMatchObject({
      oid: sam.azureactivedirectoryobjectid,
      appid: PUBLIC_CLIENT,
      aud: autoApproving().url,
      idtyp: 'user',
      scp: 'user_impersonation',
    });
    expect(await whoAmI(autoApproving(), result?.accessToken ?? '')).toMatchObject({ status: 200, userId: sam.systemuserid });
  });

  it('pending until approved through POST /_emulator/device/approve', async () => {
    const emulator = manual();
    const riley = user(emulator, DEMO.riley);
    const before = (await authorityLog(emulator)).entries.length;
    let userCode = '';
    const signIn = publicApp(emulator).acquireTokenByDeviceCode({
      scopes: scopesFor(emulator),
      deviceCodeCallback: (response) => {
        userCode = response.userCode;
      },
    });
    await waitFor(
      async () => (await authorityLog(emulator)).entries.slice(before).some((entry) => entry.error === 'authorization_pending'),
      'a pending poll',
    );
    const approval = await postJson(`${emulator.url}/_emulator/device/approve`, { user_code: userCode, user: DEMO.riley });
    expect(approval).toMatchObject({ status: 200, json: { approved: true, user: { systemuserid: riley.systemuserid } } });
    const result = await signIn;
    expect(await whoAmI(emulator, result?.accessToken ?? '')).toMatchObject({ status: 200, userId: riley.systemuserid });
    const polls = (await authorityLog(emulator)).entries.slice(before).filter((entry) => entry.endpoint === 'token');
    expect(polls.at(0)).toMatchObject({ grantType: 'device_code', clientId: PUBLIC_CLIENT, status: 400, error: 'authorization_pending' });
    expect(polls.at(-1)).toMatchObject({ status: 200 });
  });

  it('answers a pending poll with Entra’s authorization_pending body, and a redeemed code with invalid_grant', async () => {
    const emulator = autoApproving();
    const pending = await postForm(`${manual().url}/${manual().tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_CLIENT, scope: scopesFor(manual())[0] ?? '' });
    const poll = await postForm(tokenEndpoint(manual()), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: PUBLIC_CLIENT,
      device_code: String(pending.json.device_code),
    });
    expect(poll).toMatchObject({ status: 400, json: { error: 'authorization_pending', error_codes: [70016] } });

    const issued = await postForm(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_CLIENT, scope: scopesFor(emulator)[0] ?? '' });
    const redeem = () =>
      postForm(tokenEndpoint(emulator), { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: PUBLIC_CLIENT, device_code: String(issued.json.device_code) });
    expect((await redeem()).status).toBe(200);
    expect(await redeem()).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [70000] } });
  });

  it('an expired code is expired_token, which msal reports', async () => {
    const emulator = shortLived();
    // Start just after a second boundary: msal rounds its own expiry check to whole seconds, and
    // this way its second poll (one interval later) reaches the server instead of failing client-side.
    await waitFor(async () => Date.now() % 1000 < 50, 'a second boundary');
    const failure = await publicApp(emulator)
      .acquireTokenByDeviceCode({ scopes: scopesFor(emulator), deviceCodeCallback: () => undefined })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).errorMessage).toBe('expired_token');
    expect(emulator.authority.log.entries.at(-1)).toMatchObject({ endpoint: 'token', status: 400, error: 'expired_token' });
  });

  it('answers an expired code with Entra’s body (AADSTS70019), even once approved too late', async () => {
    const emulator = shortLivedByHand();
    const issued = await postForm(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_CLIENT, scope: scopesFor(emulator)[0] ?? '' });
    expect(issued.json).toMatchObject({ expires_in: 1, interval: 1 });
    await shortLivedClock.advance(1100);
    const late = await postJson(`${emulator.url}/_emulator/device/approve`, { user_code: issued.json.user_code, user: DEMO.admin });
    expect(late).toMatchObject({ status: 400, json: { error: { code: 'expired_user_code' } } });
    const poll = await postForm(tokenEndpoint(emulator), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: PUBLIC_CLIENT,
      device_code: String(issued.json.device_code),
    });
    expect(poll).toMatchObject({ status: 400, json: { error: 'expired_token', error_codes: [70019] } });
    expect(String(poll.json.error_description)).toMatch(/^AADSTS70019: Verification code expired\.\r\nTrace ID: /);
  });

  it('signs in through the organizations alias as well', async () => {
    const result = await publicApp(autoApproving(), 'organizations').acquireTokenByDeviceCode({ scopes: scopesFor(autoApproving()), deviceCodeCallback: () => undefined });
    expect(decodeClaims(result?.accessToken ?? '').tid).toBe(autoApproving().tenantId);
    expect((await whoAmI(autoApproving(), result?.accessToken ?? '')).status).toBe(200);
  });

  it('signs ID tokens with the key published at jwks_uri', async () => {
    const result = await publicApp(autoApproving()).acquireTokenByDeviceCode({ scopes: scopesFor(autoApproving()), deviceCodeCallback: () => undefined });
    const configuration = (await (await fetch(`${autoApproving().url}/${autoApproving().tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const { keys } = (await (await fetch(configuration.jwks_uri)).json()) as { keys: Array<Record<string, string>> };
    const [header, payload, signature] = (result?.idToken ?? '').split('.');
    const kid = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()).kid;
    const jwk = keys.find((key) => key.kid === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
    expect(result?.idTokenClaims).toMatchObject({ aud: PUBLIC_CLIENT, tid: autoApproving().tenantId, ver: '2.0', preferred_username: user(autoApproving(), DEMO.sam).domainname });
  });

  it('refuses a client the tenant does not know (AADSTS700016)', async () => {
    const failure = await new PublicClientApplication({ auth: { clientId: '00000000-0000-0000-0000-00000000c11e', ...emulatorMsalAuthority(manual().url, manual().tenantId) } })
      .acquireTokenByDeviceCode({ scopes: scopesFor(manual()), deviceCodeCallback: () => undefined })
      .catch((error: unknown) => error);
    // msal reports errors of the devicecode endpoint by their OAuth error only.
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).errorMessage).toBe('unauthorized_client');
    const raw = await postForm(`${manual().url}/${manual().tenantId}/oauth2/v2.0/devicecode`, { client_id: '00000000-0000-0000-0000-00000000c11e', scope: 'openid' });
    expect(raw).toMatchObject({ status: 400, json: { error: 'unauthorized_client', error_codes: [700016] } });
  });
});

describe('approving device codes', () => {
  async function pendingCode(emulator: RunningEmulator): Promise<string> {
    const issued = await postForm(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_CLIENT, scope: `${emulator.url}/.default` });
    return String(issued.json.user_code);
  }

  it('refuses unknown codes, unknown people, application users and on-premises users', async () => {
    const emulator = manual();
    const approve = (userCode: string, who: string) => postJson(`${emulator.url}/_emulator/device/approve`, { user_code: userCode, user: who });
    expect(await approve('NOSUCHCOD', DEMO.admin)).toMatchObject({ status: 404, json: { error: { code: 'unknown_user_code' } } });
    const code = await pendingCode(emulator);
    expect(await approve(code, 'nobody@contoso.com')).toMatchObject({ status: 404, json: { error: { code: 'unknown_user' } } });
    expect(await approve(code, DEMO.app)).toMatchObject({ status: 400, json: { error: { code: 'not_a_person' } } });
    expect(await approve(code, DEMO.owen)).toMatchObject({ status: 400, json: { error: { code: 'no_entra_account' } } });
    expect(await postJson(`${emulator.url}/_emulator/device/approve`, { user: DEMO.admin })).toMatchObject({ status: 400 });
  });

  it('the verification page approves a code from its form, as a person would', async () => {
    const emulator = manual();
    const page = await fetch(`${emulator.url}/devicelogin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<form method="post" action="/devicelogin">');
    const code = await pendingCode(emulator);
    const posted = await fetch(`${emulator.url}/devicelogin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: code.toLowerCase(), user: DEMO.admin }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Signed in as Alex Admin.');
    expect(emulator.authority.deviceCodes.byUserCode(code)?.approvedUserId).toBe(user(emulator, DEMO.admin).systemuserid);
  });

  it('startEmulator refuses approveDeviceCodes naming nobody who can sign in', async () => {
    await expect(startEmulator({ port: 0, approveDeviceCodes: 'nobody@contoso.com' })).rejects.toThrow(SeedError);
    await expect(startEmulator({ port: 0, approveDeviceCodes: DEMO.owen })).rejects.toThrow(/no Entra object id/);
  });
});
