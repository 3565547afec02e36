import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';

// An identity endpoint that accepts connections and never answers: what a machine without
// managed identity looks like to msal's IMDS probing, minus the long wait.
const silent = createServer(() => {});
const dispatcher = createHttpDispatcher({});

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('IDENTITY_ENDPOINT', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/msi/token`);
  vi.stubEnv('IDENTITY_HEADER', 'stub-header');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await dispatcher.close();
});

describe('managed identity without an answering endpoint', () => {
  it('gives up after its own timeout with a clear error (exit 4) instead of hanging', async () => {
    const profile = profileFor('https://contoso.crm.dynamics.com', { auth: 'managed-identity' });
    const started = Date.now();
    const error = await createTokenProvider(profile, { env: {}, io: bufferIO(), dispatcher, cacheFile: '/nonexistent/unused.json', managedIdentityTimeoutMs: 300 })
      .getToken()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      exitCode: ExitCode.Auth,
      message: 'No managed identity answered within 300 ms (source: AppService).',
      hint: expect.stringContaining('another --auth kind'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
