import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import type { PipelineRequest } from '../../src/dataverse/pipeline.js';
import { authPolicy } from '../../src/dataverse/policies/auth.js';
import { RequestHeaders } from '../../src/http/headers.js';
import { DataverseApiError } from '../../src/dataverse/errors.js';
import type { RetryWait } from '../../src/dataverse/policies/retry.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { NetworkFailureError } from '../../src/http/network-failure.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';
import { bufferIO, profileFor } from './support.js';
import { TestClock } from '../helpers/test-clock.js';
import { until } from '../helpers/until.js';

const noWait = { sleep: async () => {}, random: () => 0 };

/** A node:http server on port 0 answering with a script, one handler per request. */
async function scriptedServer(script: Array<(req: IncomingMessage, res: ServerResponse) => void>) {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    const handler = script[Math.min(calls++, script.length - 1)];
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};
const drop = (req: IncomingMessage) => req.socket.destroy();
const whoAmIBody = { UserId: '1', BusinessUnitId: '2', OrganizationId: '3' };

function clientFor(url: string, options: { dispatcher?: ReturnType<typeof createHttpDispatcher>; waits?: RetryWait[] } = {}) {
  const dispatcher = options.dispatcher ?? createHttpDispatcher({});
  const client = createDataverseClient({
    profile: profileFor(url),
    env: { DVAS_ACCESS_TOKEN: 'opaque-token' },
    io: bufferIO(),
    dispatcher,
    retry: { ...noWait, onWait: (wait) => options.waits?.push(wait) },
  });
  return { client, dispatcher };
}

describe('transport over real sockets (scripted server)', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('a refused connection is one sentence naming the host, exit 1', async () => {
    const server = await scriptedServer([]);
    await server.close();
    const error = await clientFor(server.url).client.whoAmI().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkFailureError);
    expect(error).toMatchObject({ exitCode: ExitCode.Failure, message: `Cannot connect to ${new URL(server.url).host}: the connection was refused.` });
  });

  it('a read whose connection drops is sent again', async () => {
    const server = await scriptedServer([drop, json(200, whoAmIBody)]);
    servers.push(server);
    const waits: RetryWait[] = [];
    expect((await clientFor(server.url, { waits }).client.whoAmI()).UserId).toBe('1');
    expect(server.calls()).toBe(2);
    expect(waits.map((wait) => wait.reason)).toEqual(['network']);
  });

  it('a create whose connection drops is not sent again, and says it may have happened', async () => {
    const server = await scriptedServer([drop, json(204, {})]);
    servers.push(server);
    const error = await clientFor(server.url).client.create('accounts', { name: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkFailureError);
    expect((error as NetworkFailureError).hint).toMatch(/may have reached Dataverse/);
    expect(server.calls()).toBe(1);
  });

  it('a read that gets no headers in time fails with the headers timeout, after the retries', async () => {
    const server = await scriptedServer([() => {}]);
    servers.push(server);
    const dispatcher = createHttpDispatcher({}, { headersTimeoutMs: 200 });
    const client = createDataverseClient({
      profile: profileFor(server.url),
      env: { DVAS_ACCESS_TOKEN: 't' },
      io: bufferIO(),
      dispatcher,
      retry: { ...noWait, maxAttempts: 2 },
    });
    const error = await client.whoAmI().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT', message: `${new URL(server.url).host} did not answer in time.` });
    expect(server.calls()).toBe(2);
    await dispatcher.close();
  });

  it('Ctrl+C cancels the request in flight: exit 130, at once', async () => {
    const server = await scriptedServer([() => {}]);
    servers.push(server);
    const controller = new AbortController();
    const client = createDataverseClient({ profile: profileFor(server.url), env: { DVAS_ACCESS_TOKEN: 't' }, io: bufferIO(), signal: controller.signal });
    const answer = client.whoAmI();
    // Ctrl+C once the request has reached the server, which never answers it.
    await until(() => server.calls() === 1, 'the request to reach the server');
    controller.abort();
    await expect(answer).rejects.toMatchObject({ exitCode: ExitCode.Interrupted, message: 'Interrupted.' });
  });

  it('Ctrl+C during a Retry-After wait stops waiting: exit 130', async () => {
    const server = await scriptedServer([json(429, { error: { code: '0x80072322', message: 'Throttled.' } }, { 'retry-after': '60' })]);
    servers.push(server);
    const controller = new AbortController();
    const clock = new TestClock();
    const client = createDataverseClient({ profile: profileFor(server.url), env: { DVAS_ACCESS_TOKEN: 't' }, io: bufferIO(), signal: controller.signal, clock });
    const answer = client.whoAmI();
    // Ctrl+C while the client waits out the 60-second Retry-After on its clock.
    await clock.sleeping(1);
    expect(clock.pending).toHaveLength(1);
    expect(clock.pending[0]).toBeGreaterThanOrEqual(60_000);
    controller.abort();
    await expect(answer).rejects.toMatchObject({ exitCode: ExitCode.Interrupted });
    expect(clock.pending).toEqual([]);
    expect(server.calls()).toBe(1);
  });

  it('a read answered 503 is sent again; Retry-After as an HTTP date is honoured', async () => {
    const server = await scriptedServer([json(503, { error: { code: '', message: 'Service Unavailable' } }, { 'retry-after': new Date(Date.now() + 2000).toUTCString() }), json(200, whoAmIBody)]);
    servers.push(server);
    const waits: RetryWait[] = [];
    await clientFor(server.url, { waits }).client.whoAmI();
    expect(waits).toHaveLength(1);
    expect(waits[0]?.reason).toBe('unavailable');
    // An HTTP date has whole seconds: somewhere in (0, 2] s from now.
    expect(waits[0]?.waitMs).toBeGreaterThan(0);
    expect(waits[0]?.waitMs).toBeLessThanOrEqual(2000);
  });
});

describe('against the emulator: service protection limits and faults', () => {
  const emulator = useEmulator({ limits: { requests: 2, windowSeconds: 2 } });

  it('throttled reads wait Retry-After (real seconds) and then succeed; progress goes to stderr', async () => {
    const io = bufferIO();
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: { DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.riley) },
      io,
    });
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await client.whoAmI());
    expect(results).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(io.stderrText()).toMatch(/^dvas: throttled by Dataverse \(429\), waiting \d+ s \(attempt 1 of 6\)$/m);
    expect(io.stdoutText()).toBe('');
  });

  it('gives up after the allowed waiting with exit 7 and the service code', async () => {
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: { DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.tess) },
      io: bufferIO(),
      retry: { ...noWait, maxAttempts: 2 },
    });
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push(await client.whoAmI().then(() => undefined, (caught: unknown) => caught));
    const gaveUp = errors.find((error) => error !== undefined);
    expect(gaveUp).toBeInstanceOf(DataverseApiError);
    expect(gaveUp).toMatchObject({ exitCode: ExitCode.Throttled, status: 429, code: '0x80072322' });
    expect((gaveUp as DataverseApiError).retryAfterMs).toBeGreaterThan(0);
  });
});

describe('against the emulator: dropped and unavailable creates', () => {
  const emulator = useEmulator({ limits: false });
  afterEach(() => emulator().setFaults(undefined));

  function appClient() {
    return createDataverseClient({
      profile: profileFor(emulator().url),
      env: { DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app) },
      io: bufferIO(),
      retry: noWait,
    });
  }

  it('a create dropped after commit is not sent again: no duplicate row', async () => {
    const client = appClient();
    const rowsBefore = emulator().stats.rowsCreated.account ?? 0;
    const requestsBefore = emulator().stats.requests;
    emulator().setFaults({ fractions: { dropAfter: 1 } });
    await expect(client.create('accounts', { name: 'Dropped after commit' })).rejects.toBeInstanceOf(NetworkFailureError);
    expect(emulator().stats.requests).toBe(requestsBefore + 1);
    expect(emulator().stats.rowsCreated.account).toBe(rowsBefore + 1);
  });

  it('a create answered 503 is not sent again: exit 1 and a hint to check', async () => {
    const client = appClient();
    const requestsBefore = emulator().stats.requests;
    emulator().setFaults({ fractions: { unavailable: 1 } });
    const error = await client.create('accounts', { name: 'Unavailable' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ exitCode: ExitCode.Failure, status: 503, hint: expect.stringMatching(/may or may not have been carried out/) });
    expect(emulator().stats.requests).toBe(requestsBefore + 1);
  });

  it('a create throttled by a 429 is sent again once the service lets it through, and created once', async () => {
    const rowsBefore = emulator().stats.rowsCreated.account ?? 0;
    const requestsBefore = emulator().stats.requests;
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: { DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app) },
      io: bufferIO(),
      // The service stops throttling while the client waits.
      retry: { ...noWait, onWait: () => emulator().setFaults(undefined) },
    });
    emulator().setFaults({ fractions: { throttle: 1 }, retryAfterSeconds: 1 });
    const created = await client.create('accounts', { name: 'Throttled create' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator().stats.requests).toBe(requestsBefore + 2);
    expect(emulator().stats.rowsCreated.account).toBe(rowsBefore + 1);
  });
});

describe('the dispatcher', () => {
  let dispatcher: ReturnType<typeof createHttpDispatcher>;
  beforeAll(() => {
    dispatcher = createHttpDispatcher({});
  });
  afterAll(() => dispatcher.close());

  it('reuses connections between requests (bodies are always consumed)', async () => {
    const ports = new Set<number>();
    const server = createServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(whoAmIBody));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { client } = clientFor(url, { dispatcher });
    for (let i = 0; i < 6; i++) await client.whoAmI();
    // undici may open a second socket while the first is being released; never one per request.
    expect(ports.size).toBeLessThanOrEqual(2);
    server.closeAllConnections();
    server.close();
  });
});

describe('the token goes only to the environment', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('a nextLink to another origin is refused before anything is sent there: exit 1, one sentence', async () => {
    const elsewhere = await scriptedServer([json(200, { value: [] })]);
    const environment = await scriptedServer([json(200, { value: [{ name: 'first page' }], '@odata.nextLink': `${elsewhere.url}/api/data/v9.2/accounts?$skiptoken=2` })]);
    servers.push(elsewhere, environment);
    const client = createDataverseClient({ profile: profileFor(environment.url), env: { DVAS_ACCESS_TOKEN: 't' }, io: bufferIO() });
    const error = await client.retrieveMultiple('accounts', {}, { all: true }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      exitCode: ExitCode.Failure,
      message: `Refusing to send a request to ${elsewhere.url}: dvas sends its token only to the environment ${environment.url}.`,
    });
    expect(environment.calls()).toBe(1);
    expect(elsewhere.calls()).toBe(0);
  });

  it('the auth policy refuses another origin too, with the same rule, before it asks for a token', async () => {
    let tokens = 0;
    let sent = 0;
    const policy = authPolicy({ getToken: async () => (tokens++, { token: 't', expiresOn: 0 }) } as unknown as TokenProvider, 'https://contoso.crm.dynamics.com');
    const request = { method: 'GET', url: new URL('https://elsewhere.example/api/data/v9.2/WhoAmI'), headers: RequestHeaders.from({}) } as PipelineRequest;
    const error = await policy.send(request, async () => (sent++, { status: 200, headers: {}, body: '' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ exitCode: ExitCode.Failure, message: expect.stringMatching(/^Refusing to send a request to https:\/\/elsewhere\.example: /) });
    expect({ tokens, sent }).toEqual({ tokens: 0, sent: 0 });
  });
});
