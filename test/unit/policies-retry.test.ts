import { describe, expect, it } from 'vitest';
import { DataverseApiError, toApiError } from '../../src/dataverse/errors.js';
import type { HttpMethod, PipelineRequest, PipelineResponse } from '../../src/dataverse/pipeline.js';
import { retryPolicy, type RetryWait } from '../../src/dataverse/policies/retry.js';
import { ExitCode } from '../../src/exit-codes.js';
import { RequestHeaders } from '../../src/http/headers.js';
import { NetworkFailureError, toNetworkFailure } from '../../src/http/network-failure.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');

function request(method: HttpMethod = 'GET', origin = 'https://contoso.crm.dynamics.com'): PipelineRequest {
  return {
    method,
    url: new URL(`${origin}/api/data/v9.2/accounts`),
    headers: RequestHeaders.from(),
    ...(method === 'POST' ? { body: '{"name":"x"}' } : {}),
  };
}

const throttled = (retryAfter?: string): PipelineResponse => ({
  status: 429,
  headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  body: JSON.stringify({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }),
});
const unavailable: PipelineResponse = { status: 503, headers: {}, body: '' };
const ok: PipelineResponse = { status: 200, headers: {}, body: '{}' };

function dropped(code = 'ECONNRESET'): NetworkFailureError {
  return toNetworkFailure(Object.assign(new Error('socket hang up'), { code }), new URL('https://contoso.crm.dynamics.com/'));
}

/** A fake `next` answering from a script (a response, or an error to throw), and a clock that moves only when the policy sleeps. */
function harness(script: Array<PipelineResponse | Error>, options: { maxAttempts?: number; maxTotalWaitMs?: number; random?: number } = {}) {
  let now = NOW;
  const sleeps: number[] = [];
  const waits: RetryWait[] = [];
  const gaveUp: string[] = [];
  let calls = 0;
  const policy = retryPolicy({
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxTotalWaitMs ? { maxTotalWaitMs: options.maxTotalWaitMs } : {}),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    now: () => now,
    random: () => options.random ?? 0,
    onWait: (wait) => waits.push(wait),
    onGiveUp: (reason) => gaveUp.push(reason),
  });
  const next = async (): Promise<PipelineResponse> => {
    const step = script[Math.min(calls++, script.length - 1)];
    if (step instanceof Error) throw step;
    if (!step) throw new Error('script is empty');
    return step;
  };
  return { send: (sent: PipelineRequest) => policy.send(sent, next), sleeps, waits, gaveUp, calls: () => calls };
}

describe('retry policy', () => {
  it('waits Retry-After seconds on a 429, then sends again', async () => {
    const h = harness([throttled('3'), ok]);
    expect((await h.send(request())).status).toBe(200);
    expect(h.sleeps).toEqual([3000]);
    expect(h.waits).toEqual([{ reason: 'throttled', waitMs: 3000, attempt: 1, maxAttempts: 6, detail: '429' }]);
  });

  it('reads a Retry-After HTTP date against the injected clock', async () => {
    const h = harness([throttled(new Date(NOW + 7000).toUTCString()), ok]);
    await h.send(request());
    expect(h.sleeps).toEqual([7000]);
  });

  it('without Retry-After backs off 1 s, 2 s, 4 s', async () => {
    const h = harness([throttled(), throttled(), throttled(), ok]);
    await h.send(request());
    expect(h.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('adds jitter on top of Retry-After, never below it', async () => {
    const h = harness([throttled('10'), ok], { random: 0.5 });
    await h.send(request());
    expect(h.sleeps).toEqual([10_500]);
  });

  it('sends a POST again after a 429: the service did not carry it out', async () => {
    const h = harness([throttled('1'), ok]);
    expect((await h.send(request('POST'))).status).toBe(200);
    expect(h.calls()).toBe(2);
  });

  it('does not send a POST again after a 503: it may have been carried out', async () => {
    const h = harness([unavailable, ok]);
    const response = await h.send(request('POST'));
    expect(response.status).toBe(503);
    expect(h.calls()).toBe(1);
    expect(toApiError(request('POST'), response).hint).toMatch(/may or may not have been carried out/);
  });

  it('does not send a POST again after a dropped connection', async () => {
    const h = harness([dropped(), ok]);
    await expect(h.send(request('POST'))).rejects.toBeInstanceOf(NetworkFailureError);
    expect(h.calls()).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('sends a GET again after a 503 and after a dropped connection', async () => {
    const h = harness([unavailable, dropped(), ok]);
    expect((await h.send(request('GET'))).status).toBe(200);
    expect(h.waits.map((wait) => [wait.reason, wait.detail])).toEqual([
      ['unavailable', '503'],
      ['network', 'ECONNRESET'],
    ]);
  });

  it('does not retry a failure that will not go away (TLS trust)', async () => {
    const h = harness([dropped('DEPTH_ZERO_SELF_SIGNED_CERT'), ok]);
    await expect(h.send(request('GET'))).rejects.toThrow(/trusted TLS connection/);
    expect(h.calls()).toBe(1);
  });

  it.each([401, 403, 404, 500, 502])('returns a %i at once', async (status) => {
    const h = harness([{ status, headers: {}, body: '' }, ok]);
    expect((await h.send(request())).status).toBe(status);
    expect(h.calls()).toBe(1);
  });

  it('gives up on throttling after the last attempt with exit 7, keeping the service code', async () => {
    const h = harness([throttled('2')], { maxAttempts: 3 });
    const error = await h.send(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataverseApiError);
    const apiError = error as DataverseApiError;
    expect(apiError.exitCode).toBe(ExitCode.Throttled);
    expect(apiError.code).toBe('0x80072322');
    expect(apiError.status).toBe(429);
    expect(apiError.retryAfterMs).toBe(2000);
    expect(apiError.message).toMatch(/gave up after 3 attempts and 4 s of waiting/);
    expect(h.calls()).toBe(3);
    expect(h.sleeps).toEqual([2000, 2000]);
  });

  it('gives up at once when Retry-After is beyond the total wait allowed', async () => {
    const h = harness([throttled('400'), ok], { maxTotalWaitMs: 300_000 });
    await expect(h.send(request())).rejects.toMatchObject({ exitCode: ExitCode.Throttled });
    expect(h.sleeps).toEqual([]);
  });

  it('returns the last 503 (not exit 7) when a read stays unavailable', async () => {
    const h = harness([unavailable], { maxAttempts: 2 });
    expect((await h.send(request())).status).toBe(503);
    expect(h.calls()).toBe(2);
  });

  it('a connection refused on this machine is not sent again: nothing listens there', async () => {
    for (const origin of ['http://127.0.0.1:5555', 'http://localhost:5555', 'http://[::1]:5555']) {
      const h = harness([dropped('ECONNREFUSED'), ok]);
      await expect(h.send(request('GET', origin))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(h.calls()).toBe(1);
      expect(h.sleeps).toEqual([]);
      expect(h.gaveUp).toEqual([`not sending GET /api/data/v9.2/accounts again: nothing accepts connections at ${new URL(origin).host} on this machine (ECONNREFUSED), and waiting will not change that.`]);
    }
  });

  it.each(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH'])('a failure to connect elsewhere (%s) gets 3 attempts, about 3 s, not 31', async (code) => {
    const h = harness([dropped(code)]);
    await expect(h.send(request('GET'))).rejects.toMatchObject({ code });
    expect(h.calls()).toBe(3);
    expect(h.sleeps).toEqual([1000, 2000]);
    expect(h.gaveUp).toEqual([`not sending GET /api/data/v9.2/accounts again: connection failures (${code}) get 3 attempts in all.`]);
  });

  it('a create whose connection was refused is sent again: nothing reached the service', async () => {
    const h = harness([dropped('ECONNREFUSED'), ok]);
    expect((await h.send(request('POST'))).status).toBe(200);
    expect(h.calls()).toBe(2);
  });

  it('a connection that failed after it was made keeps the full budget (6 attempts)', async () => {
    const h = harness([dropped('ECONNRESET')]);
    await expect(h.send(request('GET'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(h.calls()).toBe(6);
  });
});
