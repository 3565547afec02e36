import { systemClock } from '../../clock/clock.js';
import { isLoopbackHostname } from '../../http/loopback.js';
import { failedBeforeSending, NetworkFailureError } from '../../http/network-failure.js';
import { toApiError } from '../errors.js';
import { isIdempotent, type Policy, type PipelineRequest, type PipelineResponse } from '../pipeline.js';
import { parseRetryAfter } from '../retry-after.js';

/** Told before each wait, so the CLI can say "throttled, waiting 12 s" on stderr. */
export interface RetryWait {
  reason: 'throttled' | 'unavailable' | 'network';
  waitMs: number;
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  maxAttempts: number;
  /** The failure, for the message: an HTTP status or a network error code. */
  detail: string;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** Total time the policy may spend waiting before it gives up. */
  maxTotalWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1): the jitter source, injectable for tests. */
  random?: () => number;
  onWait?: (wait: RetryWait) => void;
  /** --verbose: told in one sentence why a failure is not sent again (or no longer). */
  onGiveUp?: (reason: string) => void;
}

/**
 * Service protection limits answer 429 with a Retry-After of seconds to minutes; five minutes of
 * waiting in all covers a burst without leaving a script hanging for a quarter of an hour.
 */
export const RETRY_DEFAULTS = { maxAttempts: 6, maxTotalWaitMs: 5 * 60_000 } as const;

/**
 * A failure to connect (refused, unreachable, no answer to the connect) means nothing was sent, and
 * waiting half a minute for it rarely helps (docs/network-and-sign-in.md, "retry"):
 * - on this machine (a loopback host) nothing listens on that port, the emulator is stopped or the
 *   port is wrong, and no wait will change that: not retried at all;
 * - elsewhere, three attempts in all (waits of about 1 s and 2 s): enough for a load balancer or
 *   a network blip, about 3 seconds instead of 31. Since nothing was sent, a create may be sent
 *   again too: it cannot happen twice.
 */
export const CONNECT_RETRY = { loopbackAttempts: 1, maxAttempts: 3 } as const;

/**
 * Sends a request again when the service or the network said "not now":
 * - 429: always, after Retry-After. The service did not carry the request out, so even a create
 *   cannot happen twice. Giving up on a 429 is an error of its own (exit 7);
 * - 503 and transient network failures (reset, timeout): only for idempotent requests.
 *   A create that met a 503, a timeout or a dropped connection may have been carried out, and
 *   sending it again could create a duplicate row;
 * - everything else (401, 403, 404, other 5xx) goes back at once: waiting would not change it.
 * A failure to connect has a shorter budget of its own (CONNECT_RETRY).
 *
 * Waits follow Retry-After (seconds or an HTTP date), else 1, 2, 4… s, plus jitter so that many
 * clients throttled together do not come back together; never shorter than Retry-After, since
 * calling early extends the penalty.
 */
export function retryPolicy(options: RetryOptions = {}): Policy {
  const maxAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  const maxTotalWaitMs = options.maxTotalWaitMs ?? RETRY_DEFAULTS.maxTotalWaitMs;
  const sleep = options.sleep ?? ((ms: number) => systemClock.sleep(ms));
  const now = options.now ?? systemClock.now;
  const random = options.random ?? Math.random;

  const jittered = (baseMs: number) => baseMs + Math.floor(random() * Math.max(250, baseMs * 0.1));
  const backoff = (attempt: number) => Math.min(2 ** (attempt - 1) * 1000, 30_000);

  return {
    name: 'retry',
    async send(request: PipelineRequest, next) {
      let waitedMs = 0;
      // Set once an attempt failed in a way that may have left it carried out (a lost answer, a 503).
      let repeated = false;
      const answer = (response: PipelineResponse) => (repeated ? { ...response, repeated } : response);
      for (let attempt = 1; ; attempt++) {
        const canWait = (waitMs: number) => attempt < maxAttempts && waitedMs + waitMs <= maxTotalWaitMs;
        const wait = async (waitMs: number, reason: RetryWait['reason'], detail: string) => {
          options.onWait?.({ reason, waitMs, attempt, maxAttempts, detail });
          await sleep(waitMs);
          waitedMs += waitMs;
        };

        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (error) {
          if (!(error instanceof NetworkFailureError)) throw error;
          const waitMs = jittered(backoff(attempt));
          const refusal = networkRefusal(error, request, attempt, canWait(waitMs));
          if (refusal !== undefined) {
            if (refusal) options.onGiveUp?.(refusal);
            throw error;
          }
          await wait(waitMs, 'network', error.code ?? 'network error');
          repeated = true;
          continue;
        }

        const throttled = response.status === 429;
        if (!throttled && !(response.status === 503 && isIdempotent(request))) return answer(response);
        const waitMs = jittered(parseRetryAfter(response.headers['retry-after'], now()) ?? backoff(attempt));
        if (!canWait(waitMs)) {
          options.onGiveUp?.(`not sending ${request.method} ${request.url.pathname} again: ${attempt} attempts, or ${Math.round(maxTotalWaitMs / 1000)} s of waiting, are the most allowed.`);
          if (throttled) throw toApiError(request, response, { now: now(), gaveUp: { attempts: attempt, waitedMs } });
          return answer(response);
        }
        await wait(waitMs, throttled ? 'throttled' : 'unavailable', String(response.status));
        if (!throttled) repeated = true;
      }
    },
  };

  /** Why a network failure is not sent again, or undefined to send it again. */
  function networkRefusal(error: NetworkFailureError, request: PipelineRequest, attempt: number, canWait: boolean): string | undefined {
    const what = `not sending ${request.method} ${request.url.pathname} again`;
    if (!error.transient) return `${what}: ${error.code ?? 'this failure'} does not go away by waiting.`;
    if (failedBeforeSending(error.code)) {
      // Nothing reached the service, so even a create may be sent again; but only a few times.
      if (isLoopbackHostname(request.url.hostname) && attempt >= CONNECT_RETRY.loopbackAttempts) {
        return `${what}: nothing accepts connections at ${request.url.host} on this machine (${error.code}), and waiting will not change that.`;
      }
      if (attempt >= CONNECT_RETRY.maxAttempts) return `${what}: connection failures (${error.code}) get ${CONNECT_RETRY.maxAttempts} attempts in all.`;
    } else if (!isIdempotent(request)) {
      return `${what}: the ${request.method} may have reached the service, and it is never sent twice.`;
    }
    if (!canWait) return `${what}: ${attempt} attempts, or ${Math.round(maxTotalWaitMs / 1000)} s of waiting, are the most allowed.`;
    return undefined;
  }
}
