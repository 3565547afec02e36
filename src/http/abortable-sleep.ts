import type { Clock } from '../clock/clock.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** Waits `ms` on `clock`, or fails with "Interrupted." (exit 130) as soon as `signal` is aborted (Ctrl+C). */
export async function abortableSleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw new CliError('Interrupted.', { exitCode: ExitCode.Interrupted, cause: error });
    throw error;
  }
}
