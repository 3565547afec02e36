import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * One request on a connection of its own with node:http, so that a dropped connection shows
 * exactly as a client sees it: the promise rejects with "socket hang up" (ECONNRESET).
 */
function rawRequest(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${emulator.apiUrl}${path}`,
      {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${emulator.issueToken(DEMO.app)}`,
          Accept: 'application/json',
          'OData-Version': '4.0',
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const newAccount = (name: string) => ({ accountid: randomUUID(), name });

async function statuses(emulator: RunningEmulator, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await api(emulator, 'GET', 'WhoAmI')).status);
  return seen;
}

describe('fault injection: failures', () => {
  const emulator = useEmulator();

  it('throttle answers 429 exactly like the real burst limit, with Retry-After, and carries nothing out', async () => {
    emulator().setFaults('throttle=1');
    const account = newAccount('Throttled');
    const response = await api(emulator(), 'POST', 'accounts', { body: account });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.json).toEqual({
      error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' },
    });
    expect(emulator().core.store.get('account', account.accountid)).toBeUndefined();

    emulator().setFaults('throttle=1,retryAfter=3');
    expect((await api(emulator(), 'GET', 'WhoAmI')).headers.get('retry-after')).toBe('3');
    expect(emulator().stats.faultsInjected.throttle).toBe(2);
  });

  it('unavailable answers 503 in the OData error shape and carries nothing out', async () => {
    emulator().setFaults('unavailable=1');
    const account = newAccount('Unavailable');
    const response = await api(emulator(), 'POST', 'accounts', { body: account });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.json).toEqual({ error: { code: '', message: 'Service Unavailable' } });
    expect(emulator().core.store.get('account', account.accountid)).toBeUndefined();
    expect(emulator().stats.faultsInjected.unavailable).toBe(1);
  });

  it('dropBefore closes the connection without carrying the request out', async () => {
    emulator().setFaults('dropBefore=1');
    const account = newAccount('Dropped before');
    await expect(rawRequest(emulator(), 'POST', 'accounts', account)).rejects.toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    emulator().setFaults(undefined);
    expect(emulator().core.store.get('account', account.accountid)).toBeUndefined();
    expect((await api(emulator(), 'GET', `accounts(${account.accountid})`)).status).toBe(404);
    expect(emulator().stats.faultsInjected.dropBefore).toBe(1);
  });

  it('dropAfter commits the create, then closes the connection without an answer', async () => {
    emulator().setFaults('dropAfter=1');
    const account = newAccount('Dropped after commit');
    const createdBefore = emulator().stats.rowsCreated.account ?? 0;
    await expect(rawRequest(emulator(), 'POST', 'accounts', account)).rejects.toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    emulator().setFaults(undefined);
    expect(emulator().core.store.get('account', account.accountid)).toMatchObject({ name: 'Dropped after commit' });
    // The row is there: a naive retry of the POST would now be refused (or make a duplicate without a key).
    const read = await api(emulator(), 'GET', `accounts(${account.accountid})`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ accountid: account.accountid, name: 'Dropped after commit' });
    expect(emulator().stats.rowsCreated.account).toBe(createdBefore + 1);
    expect(emulator().stats.faultsInjected.dropAfter).toBe(1);
    const retry = await api(emulator(), 'POST', 'accounts', { body: account });
    expect(retry.status).toBe(412);
  });

  it('a fetch client sees the dropped connection as a network failure', async () => {
    emulator().setFaults('dropBefore=1');
    await expect(api(emulator(), 'GET', 'WhoAmI')).rejects.toThrow('fetch failed');
    emulator().setFaults(undefined);
  });

  it('injects nothing into the sign-in authority or the stats endpoint', async () => {
    emulator().setFaults('dropBefore=1');
    const metadata = await fetch(`${emulator().url}/${emulator().tenantId}/v2.0/.well-known/openid-configuration`);
    expect(metadata.status).toBe(200);
    const response = await fetch(emulator().statsUrl);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { faultsInjected: Record<string, number> }).faultsInjected.dropBefore).toBeGreaterThan(0);
    emulator().setFaults(undefined);
  });
});

describe('fault injection: latency', () => {
  const emulator = useEmulator();

  it('holds each request for the latency', async () => {
    emulator().setFaults('latency=150ms');
    const started = performance.now();
    expect((await api(emulator(), 'GET', 'WhoAmI')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(emulator().stats.faultsInjected.latency).toBe(1);
  });

  it('draws a latency from a range', async () => {
    emulator().setFaults('latency=40ms-60ms,seed=3');
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await api(emulator(), 'GET', 'WhoAmI');
      expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    }
  });

  it('holds a create for the rows it created: 100 rows at 2 ms each', async () => {
    emulator().setFaults('rowLatency=2ms');
    const targets = Array.from({ length: 100 }, (_, index) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: `Row ${index}` }));
    const started = performance.now();
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { body: { Targets: targets } });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    emulator().setFaults(undefined);
  });
});

describe('fault injection: reproducible with a seed', () => {
  const spec = 'throttle=0.3,unavailable=0.3,seed=7';

  it('gives the same sequence of answers for the same seed, and reports the seed it used', async () => {
    const runs: number[][] = [];
    for (const faults of [spec, spec, 'throttle=0.3,unavailable=0.3,seed=8']) {
      const emulator = await startEmulator({ port: 0, faults });
      try {
        expect(emulator.faults).toBe(faults);
        runs.push(await statuses(emulator, 40));
      } finally {
        await emulator.close();
      }
    }
    const [first, second, other] = runs;
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 503]));
    expect(other).not.toEqual(first);
  });

  it('names a fresh seed when none was given, and that spec replays the run', async () => {
    const original = await startEmulator({ port: 0, faults: 'throttle=0.5' });
    const seen = await statuses(original, 30);
    await original.close();
    expect(original.faults).toMatch(/^throttle=0\.5,seed=\d+$/);
    const replay = await startEmulator({ port: 0, faults: original.faults });
    try {
      expect(await statuses(replay, 30)).toEqual(seen);
    } finally {
      await replay.close();
    }
  });
});

describe('dvas emulator --faults', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('serves the faults and limits it was given and names them in the --json line', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json', '--faults', 'dropBefore=1,seed=5', '--limit-requests', '10', '--limit-window', '60'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as { url: string; statsUrl: string; faults: string; limits: unknown };
      expect(info.faults).toBe('dropBefore=1,seed=5');
      expect(info.limits).toEqual({ requests: 10, windowSeconds: 60, executionMs: 1_200_000, concurrency: 52, dopHint: 4 });
      expect(info.statsUrl).toBe(`${info.url}/_emulator/stats`);
      await expect(fetch(`${info.url}/api/data/v9.2/WhoAmI`)).rejects.toThrow('fetch failed');
      const stats = (await (await fetch(info.statsUrl)).json()) as Record<string, unknown>;
      expect(stats).toMatchObject({
        requests: 1,
        rowsCreated: {},
        faultsInjected: { latency: 0, throttle: 0, unavailable: 0, dropBefore: 1, dropAfter: 0 },
        throttled: { requests: 0, executionTime: 0, concurrency: 0 },
      });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
