import { describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';
import { decodeClaims, postForm, tokenEndpoint, whoAmI } from './helpers.js';

/**
 * Entra takes a domain name the tenant owns wherever it takes the tenant id, and its metadata then
 * names the tenant by id; the emulator's tenant owns `<organisation>.onmicrosoft.com` and the
 * domains of its users' UPNs (docs/emulator-decisions.md, "Tenant domain names").
 */
const emulator = useEmulator();

async function metadata(tenant: string) {
  const response = await fetch(`${emulator().url}/${tenant}/v2.0/.well-known/openid-configuration`);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('tenant domain names at the authority', () => {
  it.each(['contoso.onmicrosoft.com', 'CONTOSO.onmicrosoft.com', 'contoso.com'])('%s: the metadata names the tenant id in the issuer and every endpoint, as Entra does', async (domain) => {
    const { url, tenantId } = emulator();
    const response = await metadata(domain);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      issuer: `https://${new URL(url).host}/${tenantId}/v2.0`,
      authorization_endpoint: `${url}/${tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${url}/${tenantId}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${url}/${tenantId}/oauth2/v2.0/devicecode`,
      jwks_uri: `${url}/${tenantId}/discovery/v2.0/keys`,
    });
  });

  it('client credentials at /<domain>/oauth2/v2.0/token: a token of the tenant (tid is its id) that the Web API takes', async () => {
    const response = await postForm(tokenEndpoint(emulator(), 'contoso.onmicrosoft.com'), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: `${emulator().url}/.default`,
    });
    expect(response.status).toBe(200);
    const token = String(response.json.access_token);
    expect(decodeClaims(token)).toMatchObject({ tid: emulator().tenantId });
    expect((await whoAmI(emulator(), token)).status).toBe(200);
  });

  it("a domain the tenant does not own is Entra's AADSTS90002: invalid_tenant for the metadata, invalid_request at the token endpoint", async () => {
    const unknownMetadata = await metadata('fabrikam.onmicrosoft.com');
    expect(unknownMetadata.status).toBe(400);
    expect(unknownMetadata.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002], error_description: expect.stringMatching(/^AADSTS90002: Tenant 'fabrikam\.onmicrosoft\.com' not found\./) });
    const token = await postForm(tokenEndpoint(emulator(), 'fabrikam.onmicrosoft.com'), {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: `${emulator().url}/.default`,
    });
    expect(token.status).toBe(400);
    expect(token.json).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it("another organisation's initial domain comes from its name, and its users' domains are its own", async () => {
    const other = await startEmulator({
      port: 0,
      seed: { organization: { name: 'Fabrikam Ltd.' }, businessUnits: [{ name: 'Fabrikam' }], users: [{ fullname: 'Ada', email: 'ada@fabrikam.example' }] },
    });
    try {
      expect(other.tenantDomains).toEqual(['fabrikamltd.onmicrosoft.com', 'fabrikam.example']);
      const response = await fetch(`${other.url}/fabrikamltd.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
      expect(response.status).toBe(200);
      expect((await fetch(`${other.url}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).status).toBe(400);
    } finally {
      await other.close();
    }
  });
});
