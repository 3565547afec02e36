import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../clock/clock.js';

/**
 * Where the emulator's asynchronous work runs (system jobs such as BulkDelete): never inside the
 * request that asked for it, always on a later turn of the event loop, at a time read from the
 * emulator's clock (a test's clock makes a job scheduled for tomorrow run now). Each step is
 * synchronous, like a request, so it never interleaves with one. close() drops what is pending.
 */
export class BackgroundJobs {
  private readonly stop = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(readonly clock: Clock) {}

  /** Runs `step` once `at` (epoch ms) has come, and never before the current request has been answered. */
  schedule(at: number, step: () => void): void {
    const { signal } = this.stop;
    const run = (async () => {
      await nextTurn();
      const wait = at - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait, signal);
      if (!signal.aborted) step();
    })().catch((error: unknown) => {
      if (signal.aborted) return;
      // A bug in a job: say what broke on stderr, as the dispatcher does for a request.
      process.stderr.write(`dvas emulator: internal error in a background job: ${(error as Error)?.stack ?? String(error)}\n`);
    });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  /** How many steps are waiting to run (for tests and the stats). */
  get size(): number {
    return this.pending.size;
  }

  close(): void {
    this.stop.abort();
  }
}
