import type { Clock } from '../../src/clock/clock.js';

interface Sleeper {
  at: number;
  ms: number;
  wake(): void;
}

/**
 * A clock that stands still until the test moves it: pass it to the CLI (`dependencies.clock`) or
 * the emulator (`startEmulator({ clock })`), and a 60-second Retry-After, a token's expiry or a
 * limit window passes in no real time. It starts at the real time (so that msal, which reads the
 * system clock, agrees with it about which tokens are current).
 *
 * The test never guesses how long the product needs: `sleeping()` resolves once the product is
 * waiting on the clock, and `advance()` wakes each sleeper whose time has come, in time order,
 * letting the woken task run before the next one wakes.
 */
export class TestClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private readonly watchers: Array<{ count: number; resolve(): void }> = [];

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = {
        at: this.current + Math.max(0, ms),
        ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.remove(sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notify();
    });
  }

  /** The waits in progress, in milliseconds as asked for, oldest first. */
  get pending(): number[] {
    return this.sleepers.map((sleeper) => sleeper.ms);
  }

  /** Resolves once at least `count` waits are in progress (at once if they already are). */
  sleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /**
   * Moves time forward by `ms`, waking every sleeper due by then in time order; after each wake it
   * lets pending callbacks run (a task that sleeps again within the span is woken too).
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.sleepers.filter((sleeper) => sleeper.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      this.remove(due);
      due.wake();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Moves time to the end of the wait due first, and wakes it (and any due with it). */
  async advanceToNextWait(): Promise<void> {
    const next = [...this.sleepers].sort((a, b) => a.at - b.at)[0];
    if (!next) throw new Error('TestClock: nothing is waiting on the clock.');
    await this.advance(next.at - this.current);
  }

  private remove(sleeper: Sleeper): void {
    const index = this.sleepers.indexOf(sleeper);
    if (index >= 0) this.sleepers.splice(index, 1);
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) {
      if (this.sleepers.length < watcher.count) continue;
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  }
}

/** Lets promise callbacks and I/O callbacks already queued run (no time passes on any clock). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
