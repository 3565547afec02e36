import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** Waits `ms`, or fails with "Interrupted." (exit 130) as soon as `signal` is aborted (Ctrl+C). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const interrupted = () => reject(new CliError('Interrupted.', { exitCode: ExitCode.Interrupted }));
    if (signal.aborted) return interrupted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      interrupted();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
