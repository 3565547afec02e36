import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulatorServer } from '../../src/emulator/http/server.js';

/**
 * An emulator bug that escapes the dispatcher is answered by the HTTP front; the answer must still
 * be the OData error every other failure gets, activity id headers included, so that a client's
 * error handling sees the same shape whichever layer failed.
 */
describe('the HTTP front answering an internal error', () => {
  const servers: Array<ReturnType<typeof createEmulatorServer>> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  it('answers 500 UnExpected through the shared error path', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const server = createEmulatorServer({
      webApi: () => {
        throw new Error('a bug');
      },
      routes: [],
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/api/data/v9.2/accounts`, {
      headers: { Prefer: 'odata.include-annotations="Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode"' },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('odata-version')).toBe('4.0');
    expect(response.headers.get('req_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-ms-service-request-id')).toBe(response.headers.get('req_id'));
    expect(await response.json()).toEqual({
      error: {
        code: '0x80040216',
        message: 'An unexpected error occurred.',
        '@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode': '500',
      },
    });
  });
});
