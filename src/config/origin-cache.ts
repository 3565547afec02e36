import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-write.js';

/** What one cache file keeps for each environment, and how long it is trusted. */
export interface OriginCacheFormat<V> {
  version: number;
  /** The file's value for one origin, checked: undefined when it is not what this version writes. */
  parse(value: unknown): V | undefined;
  /** What of `value` is still fresh at `now` (ms), or undefined when nothing is. */
  fresh(value: V, now: number): V | undefined;
}

/**
 * A small JSON file of what dvas learned per environment origin, with a time limit: the table
 * cache and the learned authorities are two. It is only a cache: a missing, unreadable, foreign
 * or other-version file reads as empty, a failed write is ignored (a read-only config directory
 * costs a lookup per run, nothing more), and every write drops what has gone stale, for every
 * origin, so the file never grows without bound. Written atomically, 0600 like every dvas file.
 */
export class OriginCache<V> {
  constructor(
    private readonly file: string,
    private readonly format: OriginCacheFormat<V>,
    private readonly now: () => Date,
  ) {}

  /** Every origin's fresh value. */
  async read(): Promise<Record<string, V>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return {};
    }
    if (!isRecord(parsed) || parsed.version !== this.format.version || !isRecord(parsed.environments)) return {};
    const now = this.now().getTime();
    const environments: Record<string, V> = {};
    for (const [origin, raw] of Object.entries(parsed.environments)) {
      const value = this.format.parse(raw);
      const live = value === undefined ? undefined : this.format.fresh(value, now);
      if (live !== undefined) environments[origin] = live;
    }
    return environments;
  }

  async write(environments: Record<string, V>): Promise<void> {
    const now = this.now().getTime();
    const kept: Record<string, V> = {};
    for (const [origin, value] of Object.entries(environments)) {
      const live = this.format.fresh(value, now);
      if (live !== undefined) kept[origin] = live;
    }
    try {
      await writeFileAtomically(this.file, `${JSON.stringify({ version: this.format.version, environments: kept })}\n`);
    } catch {
      // Only a cache: the next run asks the service again.
    }
  }
}

/** Whether something learned at `at` (ISO time) is within `ttlMs` of `now` (and not from the future). */
export function learnedWithin(at: string, now: number, ttlMs: number): boolean {
  const time = Date.parse(at);
  return time <= now && now - time < ttlMs;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
