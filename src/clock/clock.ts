/**
 * Where every reading of time and every wait comes from, in the CLI and in the emulator alike:
 * the retry policy's waits, token expiry, the service protection windows, sign-in code lifetimes.
 * One is made per run (the system clock) and passed down; tests pass a clock they move by hand,
 * so that a 60-second Retry-After or a token's expiry takes no real time at all.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` as soon as `signal` is aborted
   * (at once if it already is), and the wait is dropped.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: Date.now() and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
