import { beforeEach, describe, expect, it } from 'vitest';
import { errors } from '../../src/emulator/http/errors.js';
import { api, DEMO, useEmulator, type ApiResponse } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { until } from '../helpers/until.js';

/**
 * The limits run on a clock the tests move by hand (startEmulator({ clock })): a window passes,
 * or a request's injected latency elapses, in no real time, and each test starts from an empty
 * window whatever ran before it.
 */

/** Waits for `pending`, moving the clock to each wait the emulator starts meanwhile (injected latency). */
async function withTimePassing<T>(clock: TestClock, pending: Promise<T>): Promise<T> {
  let settled = false;
  const done = pending.finally(() => (settled = true));
  while (!settled) {
    await Promise.race([done.catch(() => undefined), clock.sleeping(1)]);
    if (!settled) await clock.advanceToNextWait();
  }
  return done;
}

const RATE_HEADERS = ['x-ms-ratelimit-burst-remaining-xrm-requests', 'x-ms-ratelimit-time-remaining-xrm-requests'];

function expectThrottled(response: ApiResponse, code: string, message: string, retryAfter: { min: number; max: number }): void {
  expect(response.status).toBe(429);
  expect(response.json).toEqual({ error: { code, message } });
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('odata-version')).toBe('4.0');
  expect(response.headers.get('x-ms-dop-hint')).toBe('4');
  const seconds = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(retryAfter.min);
  expect(seconds).toBeLessThanOrEqual(retryAfter.max);
}

describe('service protection limits: the real defaults', () => {
  const emulator = useEmulator();

  it('prints the real messages for the real limits', () => {
    expect(errors.requestLimitExceeded(6000, 300, 1).message).toBe('Number of requests exceeded the limit of 6000 over time window of 300 seconds.');
    expect(errors.executionTimeExceeded(1_200_000, 300, 1).message).toBe(
      'Combined execution time of incoming requests exceeded limit of 1,200,000  milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
    );
    expect(errors.concurrencyLimitExceeded(52, 1).message).toBe('Number of concurrent requests exceeded the limit of 52.');
  });

  it('advertises x-ms-dop-hint and what is left of the window on every response', async () => {
    expect(emulator().limits).toEqual({ requests: 6000, windowSeconds: 300, executionMs: 1_200_000, concurrency: 52, dopHint: 4 });
    const first = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.riley });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ms-dop-hint')).toBe('4');
    expect(first.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('5999');
    // Seconds of execution time left, formatted as the service does (e.g. 1,199.99).
    expect(first.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toMatch(/^1,(199\.\d\d|200\.00)$/);
    const second = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.riley });
    expect(second.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('5998');
  });

  it('does not meter requests without a valid token, and still answers them with the dop hint', async () => {
    const anonymous = await api(emulator(), 'GET', 'WhoAmI', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-ms-dop-hint')).toBe('4');
    for (const name of RATE_HEADERS) expect(anonymous.headers.get(name)).toBeNull();
  });
});

describe('service protection limits: request count', () => {
  const clock = new TestClock();
  const emulator = useEmulator({ limits: { requests: 3, windowSeconds: 1 }, clock });
  // Every test starts with the last one's window gone by.
  beforeEach(() => clock.advance(1100));

  it('answers the request after the limit with 429 0x80072322 and the configured numbers, per user', async () => {
    const throttledBefore = emulator().stats.throttled.requests;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam });
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam });
    expectThrottled(refused, '0x80072322', 'Number of requests exceeded the limit of 3 over time window of 1 seconds.', { min: 1, max: 2 });
    // Another user has a window of its own.
    expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.riley })).status).toBe(200);
    expect(emulator().stats.throttled.requests).toBe(throttledBefore + 1);
  });

  it('meters the calling account, not the impersonated user', async () => {
    const samId = emulator().users.find((candidate) => candidate.internalemailaddress === DEMO.sam)?.systemuserid ?? '';
    for (let i = 0; i < 3; i++) {
      expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.app, headers: { MSCRMCallerID: samId } })).status).toBe(200);
    }
    expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.app, headers: { MSCRMCallerID: samId } })).status).toBe(429);
    expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam })).status).toBe(200);
  });

  it('keeps refusing a client that keeps sending, and lets a quiet one back in once the window frees up', async () => {
    const useUpWindow = async (who: string) => {
      for (let i = 0; i < 3; i++) expect((await api(emulator(), 'GET', 'WhoAmI', { as: who })).status).toBe(200);
      expect((await api(emulator(), 'GET', 'WhoAmI', { as: who })).status).toBe(429);
    };
    await useUpWindow(DEMO.tess);
    await useUpWindow(DEMO.devon);
    // Devon keeps sending while throttled (each refusal counts in its window); Tess waits.
    for (let step = 0; step < 3; step++) {
      await clock.advance(300);
      for (let i = 0; i < 2; i++) expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.devon })).status).toBe(429);
    }
    await clock.advance(200);
    expect((await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.tess })).status).toBe(200);
    const devon = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.devon });
    expectThrottled(devon, '0x80072322', 'Number of requests exceeded the limit of 3 over time window of 1 seconds.', { min: 1, max: 2 });
  });

  it('counts a $batch as one request', async () => {
    const boundary = 'batch_limits';
    const part = (path: string) =>
      `--${boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET ${path} HTTP/1.1\r\nAccept: application/json\r\n\r\n`;
    const body = `${part('WhoAmI')}${part('WhoAmI')}${part('WhoAmI')}--${boundary}--\r\n`;
    const response = await api(emulator(), 'POST', '$batch', {
      as: DEMO.admin,
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      rawBody: body,
    });
    expect(response.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('2');
  });
});

describe('service protection limits: combined execution time', () => {
  // Three parallel requests of 400 ms use up 1,200 ms of the 1,000 allowed: the fourth is refused.
  const clock = new TestClock();
  const emulator = useEmulator({ limits: { executionMs: 1000, windowSeconds: 1 }, faults: 'latency=400ms', clock });

  it('answers with 429 0x80072321 once the window holds more execution time than the limit', async () => {
    const first = await withTimePassing(clock, Promise.all([1, 2, 3].map(() => api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam }))));
    expect(first.map((response) => response.status)).toEqual([200, 200, 200]);
    const refused = await api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam });
    expectThrottled(
      refused,
      '0x80072321',
      'Combined execution time of incoming requests exceeded limit of 1,000  milliseconds over time window of 1 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
      { min: 1, max: 2 },
    );
    expect(emulator().stats.throttled.executionTime).toBe(1);
    // Waiting out Retry-After is enough.
    await clock.advance(Number(refused.headers.get('retry-after')) * 1000);
    expect((await withTimePassing(clock, api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam }))).status).toBe(200);
  });
});

describe('service protection limits: concurrency', () => {
  const clock = new TestClock();
  const emulator = useEmulator({ limits: { concurrency: 2 }, faults: 'latency=300ms', clock });

  it('refuses at once what goes beyond the concurrency limit, with 429 0x80072326', async () => {
    const throttledBefore = emulator().stats.throttled.concurrency;
    const requestsBefore = emulator().stats.requests;
    const pending = Promise.all([1, 2, 3, 4].map(() => api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam })));
    // Two are admitted and held by their latency; the other two are refused without waiting.
    await until(() => emulator().stats.requests >= requestsBefore + 4, 'the four requests to arrive');
    await clock.sleeping(2);
    await clock.advance(300);
    const responses = await pending;
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    for (const refused of responses.filter((response) => response.status === 429)) {
      expectThrottled(refused, '0x80072326', 'Number of concurrent requests exceeded the limit of 2.', { min: 1, max: 1 });
    }
    expect(emulator().stats.throttled.concurrency).toBe(throttledBefore + 2);
    // Finished requests free their places.
    expect((await withTimePassing(clock, api(emulator(), 'GET', 'WhoAmI', { as: DEMO.sam }))).status).toBe(200);
  });

  it('publishes the throttled counts over HTTP while running', async () => {
    const requestsBefore = emulator().stats.requests;
    const pending = Promise.all([1, 2, 3].map(() => api(emulator(), 'GET', 'WhoAmI', { as: DEMO.riley })));
    await until(() => emulator().stats.requests >= requestsBefore + 3, 'the three requests to arrive');
    await clock.sleeping(2);
    await clock.advance(300);
    await pending;
    const response = await fetch(emulator().statsUrl);
    expect(response.status).toBe(200);
    const stats = (await response.json()) as { requests: number; throttled: Record<string, number> };
    // What the running emulator counts in process, over HTTP, with at least Riley's refusal in it.
    expect(stats.throttled).toEqual({ ...emulator().stats.throttled });
    expect(stats.throttled.concurrency).toBeGreaterThanOrEqual(1);
    expect(stats.requests).toBe(emulator().stats.requests);
  });
});

describe('service protection limits: off', () => {
  const clock = new TestClock();
  const emulator = useEmulator({ limits: false, faults: 'latency=50ms', clock });

  it('sends no rate-limit headers and never throttles', async () => {
    expect(emulator().limits).toBeUndefined();
    const pending = Promise.all(Array.from({ length: 60 }, () => api(emulator(), 'GET', 'WhoAmI')));
    // All 60 are in flight together, beyond the real limit of 52, before any of them ends.
    await clock.sleeping(60);
    await clock.advance(50);
    for (const response of await pending) {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ms-dop-hint')).toBe('4');
      for (const name of RATE_HEADERS) expect(response.headers.get(name)).toBeNull();
    }
    expect(emulator().stats.throttled).toEqual({ requests: 0, executionTime: 0, concurrency: 0 });
  });
});
