import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';

/**
 * msal-node picks the managed identity source from the process environment (not from ours), so
 * these tests set process.env through vi.stubEnv. The endpoint is a local stub in App Service's shape.
 * msal also remembers the source for the whole process: the timeout case has a file of its own.
 */
const requests: IncomingMessage[] = [];
let endpoint = '';
const identityEndpoint = createServer((req, res) => {
  requests.push(req);
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  const resource = new URL(req.url ?? '', 'http://stub').searchParams.get('resource');
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({ access_token: `mi-token-${requests.length}`, expires_on: String(expiresOn), resource, token_type: 'Bearer' }),
  );
});
const dispatcher = createHttpDispatcher({});

beforeAll(async () => {
  await new Promise<void>((resolve) => identityEndpoint.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(identityEndpoint.address() as AddressInfo).port}`;
});
afterAll(async () => {
  identityEndpoint.closeAllConnections();
  await new Promise<void>((resolve) => identityEndpoint.close(() => resolve()));
  await dispatcher.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  requests.length = 0;
});

// msal keeps managed identity tokens in a cache shared by all its instances in the process:
// each test asks for another environment so that none is served a token an earlier test got.
const profileOf = (host: string) => profileFor(`https://${host}.crm.dynamics.com`, { auth: 'managed-identity' });
const options = () => ({ env: {}, io: bufferIO(), dispatcher, cacheFile: '/nonexistent/unused.json' });

describe('managed identity', () => {
  it('asks the identity endpoint for the environment as the resource, then reuses the token', async () => {
    vi.stubEnv('IDENTITY_ENDPOINT', `${endpoint}/msi/token`);
    vi.stubEnv('IDENTITY_HEADER', 'stub-header');
    const provider = createTokenProvider(profileOf('contoso'), options());
    expect((await provider.getToken()).token).toBe('mi-token-1');
    expect((await provider.getToken()).token).toBe('mi-token-1');
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]?.url ?? '', endpoint);
    expect(url.searchParams.get('resource')).toBe('https://contoso.crm.dynamics.com');
    expect(requests[0]?.headers['x-identity-header']).toBe('stub-header');
  });

  it('asks for a user-assigned identity by the profile client id', async () => {
    vi.stubEnv('IDENTITY_ENDPOINT', `${endpoint}/msi/token`);
    vi.stubEnv('IDENTITY_HEADER', 'stub-header');
    await createTokenProvider({ ...profileOf('fabrikam'), clientId: '11111111-2222-3333-4444-555555555555' }, options()).getToken();
    expect(new URL(requests[0]?.url ?? '', endpoint).searchParams.get('client_id')).toBe('11111111-2222-3333-4444-555555555555');
  });
});
