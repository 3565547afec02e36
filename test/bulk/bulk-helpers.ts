import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { systemClock, type Clock } from '../../src/clock/clock.js';
import { PLAIN_EVERY_MS } from '../../src/commands/create/bulk/progress.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runCli, useTempConfigDir, type CliRun } from '../helpers/cli.js';

/** A fresh directory per test for input files and reports, removed afterwards. */
export function useWorkDir(): () => { file(name: string, text: string): string; path(name: string): string } {
  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(join(tmpdir(), 'dvas-bulk-'));
    made.push(directory);
    return {
      file: (name, text) => {
        const path = join(directory, name);
        writeFileSync(path, text);
        return path;
      },
      path: (name) => join(directory, name),
    };
  };
}

/** NDJSON of `count` accounts named `<prefix> 1` … */
export function accountsNdjson(prefix: string, count: number, extra: (index: number) => Record<string, unknown> = () => ({})): string {
  return Array.from({ length: count }, (_, index) => `${JSON.stringify({ name: `${prefix} ${index + 1}`, ...extra(index + 1) })}\n`).join('');
}

/** The report's lines, parsed. */
export function reportLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The accounts whose name starts with `prefix`, as the emulator holds them. */
export function accountsStartingWith(emulator: RunningEmulator, prefix: string): Array<Record<string, unknown>> {
  return [...emulator.core.store.rows('account').values()].filter((row) => typeof row.name === 'string' && row.name.startsWith(prefix));
}

/** Web API writes (not GETs) the emulator received after `from` entries of its log. */
export function writesSince(emulator: RunningEmulator, from: number): Array<{ method: string; target: string }> {
  return emulator.requestLog.entries.slice(from).filter((entry) => entry.method !== 'GET');
}

/** How long, in real time, a skipped wait of 5 s or more takes. */
const PACE_LONG_WAITS_MS = 20;

/**
 * A clock on which every wait of a run under faults (Retry-After, back-off between attempts and
 * between checks) is over at once, the time it reads jumping by the wait instead, so a test never
 * waits for dvas's back-off. A wait as long as the progress line's (5 s and more: the progress
 * line, and the longest back-offs) ends after a few real milliseconds rather than on the next turn
 * of the event loop: otherwise the progress line, skipped at once, would print a line per turn.
 */
export class SkippingClock implements Clock {
  private skipped = 0;

  now(): number {
    return Date.now() + this.skipped;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.skipped += Math.max(0, ms);
    if (ms >= PLAIN_EVERY_MS) return systemClock.sleep(PACE_LONG_WAITS_MS, signal);
    return new Promise((resolve) => setImmediate(resolve));
  }
}

/** dvasAgainst with a SkippingClock: for runs whose waits are not what the test is about. */
export function dvasSkippingWaits(emulator: () => RunningEmulator): (who: string, argv: string[]) => Promise<CliRun> {
  const newConfigDir = useTempConfigDir();
  return (who, argv) =>
    runCli(argv, {
      env: { DVAS_URL: emulator().url, DVAS_ACCESS_TOKEN: emulator().issueToken(who), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
      dependencies: { clock: new SkippingClock() },
    });
}
