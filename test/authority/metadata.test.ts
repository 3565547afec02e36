import { describe, expect, it } from 'vitest';
import { emulatorMsalAuthority } from '../../src/emulator/index.js';
import { api, useEmulator } from '../helpers/emulator.js';
import { authorityLog } from './helpers.js';

const emulator = useEmulator();

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, contentType: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

describe('the authority’s OpenID metadata', () => {
  it('serves the tenant’s configuration: an https issuer for msal, the emulator’s http endpoints', async () => {
    const { url, tenantId } = emulator();
    const host = new URL(url).host;
    const response = await getJson(`${url}/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    expect(response.json).toMatchObject({
      issuer: `https://${host}/${tenantId}/v2.0`,
      authorization_endpoint: `${url}/${tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${url}/${tenantId}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${url}/${tenantId}/oauth2/v2.0/devicecode`,
      jwks_uri: `${url}/${tenantId}/discovery/v2.0/keys`,
    });
    expect(emulator().authority.issuer).toBe(`https://${host}/${tenantId}/v2.0`);
    expect(emulator().authority.url).toBe(`${url}/${tenantId}`);
  });

  it('is what emulatorMsalAuthority() hands msal, with the https authority and known host', async () => {
    const { url, tenantId } = emulator();
    const host = new URL(url).host;
    const options = emulatorMsalAuthority(url, tenantId);
    expect(options.authority).toBe(`https://${host}/${tenantId}`);
    expect(options.knownAuthorities).toEqual([host]);
    const served = await getJson(`${url}/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(JSON.parse(options.authorityMetadata)).toEqual(served.json);
  });

  it.each(['organizations', 'common'])('serves %s with a {tenantid} issuer, as Entra does', async (alias) => {
    const { url } = emulator();
    const response = await getJson(`${url}/${alias}/v2.0/.well-known/openid-configuration`);
    expect(response.json).toMatchObject({
      issuer: `https://${new URL(url).host}/{tenantid}/v2.0`,
      token_endpoint: `${url}/${alias}/oauth2/v2.0/token`,
    });
  });

  it('an unknown tenant is Entra’s invalid_tenant AADSTS90002, and is logged', async () => {
    const response = await getJson(`${emulator().url}/contoso.example/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: 'invalid_tenant',
      error_description: expect.stringMatching(/^AADSTS90002: Tenant 'contoso\.example' not found\. .*\r\nTrace ID: .*\r\nCorrelation ID: .*\r\nTimestamp: .*Z$/s),
      error_codes: [90002],
      timestamp: expect.any(String),
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
    expect((await authorityLog(emulator())).entries.at(-1)).toMatchObject({ endpoint: 'openid-configuration', status: 400, error: 'invalid_tenant' });
  });

  it('serves the signing keys at jwks_uri', async () => {
    const response = await getJson(`${emulator().url}/${emulator().tenantId}/discovery/v2.0/keys`);
    expect(response.json.keys).toEqual([expect.objectContaining({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String), n: expect.any(String), e: 'AQAB' })]);
  });
});

describe('the Web API’s bearer challenge and the authorize endpoint', () => {
  it('authorization_uri is served, and its first path segment is the tenant (how clients discover it)', async () => {
    const unauthenticated = await api(emulator(), 'GET', 'WhoAmI', { token: null });
    expect(unauthenticated.status).toBe(401);
    const challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    const authorizationUri = /authorization_uri=([^,\s]+)/.exec(challenge)?.[1] ?? '';
    const page = await fetch(authorizationUri);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const tenant = new URL(authorizationUri).pathname.split('/')[1];
    expect(tenant).toBe(emulator().tenantId);
    expect((await getJson(`${new URL(authorizationUri).origin}/${tenant}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('serves the v2 authorize endpoint too: with no sign-in request, a page that names the flows the emulator has', async () => {
    const page = await fetch(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/authorize`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/devicelogin');
    // A sign-in request is the authorization code flow's (test/authority/authorization-code.test.ts): an unknown client is Entra's error page.
    const unknownClient = await fetch(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/authorize?client_id=x`);
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('AADSTS700016');
  });

  it('leaves paths that are not the authority’s to the rest of the emulator', async () => {
    const response = await fetch(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/nothing-here`);
    expect(response.status).toBe(404);
  });
});
