import { describe, expect, it } from 'vitest';
import { firstLine, useDvasProcesses } from '../helpers/emulator-process.js';
import { useEmulator } from '../helpers/emulator.js';

describe('GET /_emulator/health', () => {
  // Every Web API request fails here, and one request a window is the limit: readiness is neither.
  const emulator = useEmulator({ faults: 'unavailable=1,seed=1', limits: { requests: 1 } });

  it('answers 200 {"status":"ready"} without a token, and HEAD the same without a body', async () => {
    const got = await fetch(emulator().healthUrl);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(await got.json()).toEqual({ status: 'ready' });
    const head = await fetch(emulator().healthUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('is not part of the Web API: never faulted, metered or logged', async () => {
    const before = emulator().stats.requests;
    for (let i = 0; i < 3; i++) expect((await fetch(`${emulator().healthUrl}?probe=${i}`)).status).toBe(200);
    expect(emulator().stats.requests).toBe(before);
    expect(emulator().requestLog.entries.some((entry) => entry.target.includes('health'))).toBe(false);
    expect((await fetch(`${emulator().apiUrl}WhoAmI`)).status).not.toBe(200);
  });

  it('refuses other methods with 405 and Allow', async () => {
    const posted = await fetch(emulator().healthUrl, { method: 'POST', body: '{}' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('dvas emulator --json', () => {
  const spawnDvas = useDvasProcesses();

  it('prints the health URL, which answers ready', async () => {
    const started = spawnDvas(['emulator', '--json']);
    const info = JSON.parse(await firstLine(started)) as { url: string; healthUrl: string };
    expect(info.healthUrl).toBe(`${info.url}/_emulator/health`);
    expect((await fetch(info.healthUrl)).status).toBe(200);
    started.child.kill('SIGTERM');
    expect((await started.exited).code).toBe(0);
  });
});
