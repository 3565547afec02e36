import { ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { authorityLog, decodeClaims, defaultScope, msalAuth, postForm, tokenEndpoint, whoAmI } from './helpers.js';

const emulator = useEmulator();

function secretApp(clientSecret: string = DEMO_APP.clientSecret, clientId: string = DEMO_APP.clientId) {
  return new ConfidentialClientApplication({ auth: { ...msalAuth(emulator(), clientId), clientSecret } });
}

describe('client credentials with a client secret (msal-node)', () => {
  it('gets an app token the Web API accepts as the application user', async () => {
    const result = await secretApp().acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    expect(result?.fromCache).toBe(false);
    const app = user(emulator(), DEMO.app);
    expect(decodeClaims(result?.accessToken ?? '')).toMatchObject({
      oid: app.azureactivedirectoryobjectid,
      appid: DEMO_APP.clientId,
      tid: emulator().tenantId,
      aud: emulator().url,
      idtyp: 'app',
    });
    const answer = await whoAmI(emulator(), result?.accessToken ?? '');
    expect(answer).toMatchObject({ status: 200, userId: app.systemuserid });
  });

  it('is served from msal’s cache the second time: no second token request', async () => {
    const app = secretApp();
    await app.acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const before = emulator().authority.log.tokenRequests;
    const again = await app.acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    expect(again?.fromCache).toBe(true);
    expect(emulator().authority.log.tokenRequests).toBe(before);
    expect((await authorityLog(emulator())).tokenRequests).toBe(before);
  });

  it('logs each token request with its grant type, client, status and time', async () => {
    await secretApp().acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] });
    const last = (await authorityLog(emulator())).entries.at(-1);
    expect(last).toEqual({ endpoint: 'token', grantType: 'client_credentials', clientId: DEMO_APP.clientId, status: 200, at: expect.any(String) });
    expect(Number.isNaN(Date.parse(last?.at ?? ''))).toBe(false);
  });

  it('a wrong secret is invalid_client AADSTS7000215, as msal reports it', async () => {
    const failure = await secretApp('not-the-secret').acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerError);
    expect((failure as ServerError).errorCode).toBe('invalid_client');
    expect((failure as ServerError).errorMessage).toContain('AADSTS7000215: Invalid client secret provided.');
    expect(emulator().authority.log.entries.at(-1)).toMatchObject({ grantType: 'client_credentials', status: 401, error: 'invalid_client' });
  });

  it('answers a wrong secret with Entra’s 401 body: error_codes, timestamp, trace and correlation ids', async () => {
    const response = await postForm(
      tokenEndpoint(emulator()),
      { grant_type: 'client_credentials', client_id: DEMO_APP.clientId, client_secret: 'wrong', scope: defaultScope(emulator()) },
      { 'client-request-id': '11111111-2222-3333-4444-555555555555' },
    );
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: 'invalid_client',
      error_description: expect.stringMatching(
        /^AADSTS7000215: Invalid client secret provided\. .*'8c3a7f3e-5d1b-4c1e-9a61-2f0d4c3b7a10'\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: 11111111-2222-3333-4444-555555555555\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
      ),
      error_codes: [7000215],
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
      trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      correlation_id: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('an unknown client is unauthorized_client AADSTS700016 (400)', async () => {
    const failure = await secretApp('x', '00000000-0000-0000-0000-000000000001')
      .acquireTokenByClientCredential({ scopes: [defaultScope(emulator())] })
      .catch((error: unknown) => error);
    expect((failure as ServerError).errorCode).toBe('unauthorized_client');
    expect((failure as ServerError).errorMessage).toContain(
      "AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000001' was not found in the directory 'Contoso'.",
    );
    expect(emulator().authority.log.entries.at(-1)).toMatchObject({ status: 400, error: 'unauthorized_client' });
  });

  it('no credential at all is invalid_client AADSTS7000218', async () => {
    const response = await postForm(tokenEndpoint(emulator()), { grant_type: 'client_credentials', client_id: DEMO_APP.clientId, scope: defaultScope(emulator()) });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
  });

  it('needs a <resource>/.default scope (invalid_scope AADSTS1002012)', async () => {
    const response = await postForm(tokenEndpoint(emulator()), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: `${emulator().url}/user_impersonation`,
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('refuses the common/organizations aliases: client credentials need the tenant', async () => {
    const response = await postForm(tokenEndpoint(emulator(), 'organizations'), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: defaultScope(emulator()),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_request', error_codes: [50059] });
  });

  it('a token for another resource carries that audience, and the Web API answers it with 401', async () => {
    const result = await secretApp().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(decodeClaims(result?.accessToken ?? '').aud).toBe('https://graph.microsoft.com');
    const answer = await whoAmI(emulator(), result?.accessToken ?? '');
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe(`Bearer authorization_uri=${emulator().url}/${emulator().tenantId}/oauth2/authorize, resource_id=${emulator().url}/`);
  });

  it('answers missing parameters, unknown grant types and GETs as Entra does', async () => {
    const noGrant = await postForm(tokenEndpoint(emulator()), { client_id: DEMO_APP.clientId });
    expect(noGrant.json).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    expect(String(noGrant.json.error_description)).toContain("The request body must contain the following parameter: 'grant_type'.");
    const password = await postForm(tokenEndpoint(emulator()), { grant_type: 'password', client_id: DEMO_APP.clientId });
    expect(password).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type', error_codes: [70003] } });
    const get = await fetch(tokenEndpoint(emulator()));
    expect(get.status).toBe(400);
    expect(await get.json()).toMatchObject({ error: 'invalid_request', error_codes: [900561] });
  });

  it('an unknown tenant is AADSTS90002', async () => {
    const response = await postForm(tokenEndpoint(emulator(), '00000000-0000-0000-0000-0000000000aa'), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: defaultScope(emulator()),
    });
    expect(response).toMatchObject({ status: 400, json: { error: 'invalid_request', error_codes: [90002] } });
  });
});
