import { Chalk, supportsColor, supportsColorStderr, type ChalkInstance } from 'chalk';
import type { IO } from './io.js';

/** One chalk per stream: stdout and stderr can differ (`dvas get … | jq` on a terminal). */
export interface Colors {
  stdout: ChalkInstance;
  stderr: ChalkInstance;
}

/**
 * Colour only on a terminal, and never with --no-color, NO_COLOR (no-color.org: set and not empty),
 * FORCE_COLOR=0, TERM=dumb or in CI (logs keep escape codes as noise). chalk itself ignores NO_COLOR,
 * so dvas decides and hands chalk a level.
 */
export function colorEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>, colorFlag: boolean): boolean {
  if (!colorFlag || env.NO_COLOR || env.FORCE_COLOR === '0' || env.TERM === 'dumb' || env.CI !== undefined) return false;
  return isTTY;
}

/**
 * Fresh chalk instances rather than setting the level on chalk's shared default export: several
 * programs run in one process in tests, each with its own streams.
 */
export function createColors(io: IO, env: Readonly<Record<string, string | undefined>>, colorFlag: boolean): Colors {
  // The level (16, 256 or 16 million colours) is what chalk detected for the process's own streams;
  // 1 when dvas writes to a terminal chalk did not see (an injected stream).
  const level = (enabled: boolean, detected: typeof supportsColor) => (enabled ? (detected ? detected.level : 1) : 0);
  return {
    stdout: new Chalk({ level: level(colorEnabled(io.isStdoutTTY, env, colorFlag), supportsColor) }),
    stderr: new Chalk({ level: level(colorEnabled(io.isStderrTTY, env, colorFlag), supportsColorStderr) }),
  };
}
