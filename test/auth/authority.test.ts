import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverAuthority, parseAuthorizationUri } from '../../src/auth/authority-discovery.js';
import { msalAuthorityOptions, resolveSignInTarget } from '../../src/auth/authority.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { profileFor } from '../dataverse/support.js';
import { useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const online = new URL('https://contoso.crm.dynamics.com');

describe('msal authority options', () => {
  it('Microsoft clouds: the authority alone (msal knows their metadata)', () => {
    expect(msalAuthorityOptions(new URL(`https://login.microsoftonline.com/${TENANT}`))).toEqual({
      authority: `https://login.microsoftonline.com/${TENANT}`,
    });
    expect(msalAuthorityOptions(new URL(`https://login.microsoftonline.us/${TENANT}/`))).toEqual({
      authority: `https://login.microsoftonline.us/${TENANT}`,
    });
  });

  it('AD FS and other hosts: listed as known authorities so msal skips Microsoft instance discovery', () => {
    expect(msalAuthorityOptions(new URL('https://fs.contoso.com/adfs'))).toEqual({
      authority: 'https://fs.contoso.com/adfs',
      knownAuthorities: ['fs.contoso.com'],
    });
  });

  it('the emulator (http on this machine): an https authority string plus metadata with the real http endpoints', () => {
    const options = msalAuthorityOptions(new URL(`http://127.0.0.1:5555/${TENANT}`));
    expect(options.authority).toBe(`https://127.0.0.1:5555/${TENANT}`);
    expect(options.knownAuthorities).toEqual(['127.0.0.1:5555']);
    expect(JSON.parse(options.authorityMetadata ?? '')).toEqual({
      issuer: `https://127.0.0.1:5555/${TENANT}/v2.0`,
      authorization_endpoint: `http://127.0.0.1:5555/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `http://127.0.0.1:5555/${TENANT}/oauth2/v2.0/token`,
      device_authorization_endpoint: `http://127.0.0.1:5555/${TENANT}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `http://127.0.0.1:5555/${TENANT}/oauth2/v2.0/logout`,
      jwks_uri: `http://127.0.0.1:5555/${TENANT}/discovery/v2.0/keys`,
    });
  });

  it('matches the metadata the emulator serves for its endpoints', async () => {
    const served: Record<string, unknown> = JSON.parse(await (await fetch(`${emulator().url}/${emulator().tenantId}/v2.0/.well-known/openid-configuration`)).text());
    const ours: Record<string, unknown> = JSON.parse(msalAuthorityOptions(new URL(`${emulator().url}/${emulator().tenantId}`)).authorityMetadata ?? '');
    for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'jwks_uri']) {
      expect(ours[key], key).toBe(served[key]);
    }
  });
});

describe('which authority a profile signs in at', () => {
  it('the public cloud with the profile tenant', async () => {
    const target = await resolveSignInTarget(profileFor(online.origin, { tenantId: TENANT }), dispatcher);
    expect(target.authority.href).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(target.scope).toBe('https://contoso.crm.dynamics.com/.default');
  });

  it('builds the scope from the origin, whatever path was pasted', async () => {
    const target = await resolveSignInTarget(profileFor('https://contoso.crm.dynamics.com/api/data/v9.2/', { tenantId: TENANT }), dispatcher);
    expect(target.scope).toBe('https://contoso.crm.dynamics.com/.default');
  });

  it('--authority as a bare sovereign-cloud host gets the tenant appended', async () => {
    const target = await resolveSignInTarget(
      profileFor('https://contoso.crm9.dynamics.com', { tenantId: TENANT, authority: 'https://login.microsoftonline.us/' }),
      dispatcher,
    );
    expect(target.authority.href).toBe(`https://login.microsoftonline.us/${TENANT}`);
  });

  it('--authority for AD FS is used as it is, with no tenant', async () => {
    const target = await resolveSignInTarget(profileFor('https://crm.contoso.local', { authority: 'https://fs.contoso.local/adfs/' }), dispatcher);
    expect(target.authority.href).toBe('https://fs.contoso.local/adfs');
    expect(target.tenantId).toBeUndefined();
  });

  it('an environment on this machine with a tenant: its own origin serves the authority', async () => {
    const target = await resolveSignInTarget(profileFor(emulator().url, { tenantId: emulator().tenantId }), dispatcher);
    expect(target.authority.href).toBe(`${emulator().url}/${emulator().tenantId}`);
  });

  it('refuses a plain-http authority that is not on this machine', async () => {
    await expect(resolveSignInTarget(profileFor(online.origin, { authority: 'http://login.example.com/x' }), dispatcher)).rejects.toMatchObject({
      exitCode: ExitCode.Config,
    });
  });
});

describe('tenant discovery from the bearer challenge', () => {
  it('learns the emulator authority and tenant with one unauthenticated request', async () => {
    const discovered = await discoverAuthority(new URL(emulator().url), 'v9.2', dispatcher);
    expect(discovered.tenantId).toBe(emulator().tenantId);
    expect(discovered.authority.href).toBe(`${emulator().url}/${emulator().tenantId}`);
  });

  it.each([
    [`https://login.microsoftonline.com/${TENANT}/oauth2/authorize`, `https://login.microsoftonline.com/${TENANT}`],
    [`https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/authorize`, `https://login.microsoftonline.us/${TENANT}`],
  ])('reads %s', (uri, authority) => {
    expect(parseAuthorizationUri(uri, online)).toEqual({ authority: new URL(authority), tenantId: TENANT });
  });

  it.each([
    'https://login.evil.example/tenant/oauth2/authorize',
    `http://login.microsoftonline.com/${TENANT}/oauth2/authorize`,
    'http://127.0.0.1:9999/tenant/oauth2/authorize',
  ])('does not trust %s for an online environment: a client secret would be sent there', (uri) => {
    expect(() => parseAuthorizationUri(uri, online)).toThrow(/does not trust/);
  });

  it('an environment that answers without a challenge: exit 4, asking for the tenant', async () => {
    const server = createServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      await expect(discoverAuthority(url, 'v9.2', dispatcher)).rejects.toMatchObject({
        exitCode: ExitCode.Auth,
        message: `Cannot learn the tenant of ${url.origin}: it did not answer with a bearer challenge (HTTP 200).`,
        hint: expect.stringContaining('--tenant'),
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
