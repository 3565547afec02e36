import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { IO } from './io.js';

/**
 * Asks a yes/no question on the terminal: the question on stderr, one line read from stdin. Only
 * `y` or `yes` (any case) is a yes; anything else, or the input ending, is a no. Callers ask only
 * when stdin is a terminal, and need a flag (--yes) otherwise.
 */
export function confirm(io: Pick<IO, 'stdin' | 'stderr'>, question: string): Promise<boolean> {
  const { stdin } = io;
  io.stderr.write(`${question} [y/N] `);
  return new Promise<boolean>((resolve, reject) => {
    let line = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      outcome();
    };
    const onEnd = () => finish(() => resolve(/^\s*y(es)?\s*$/i.test(line)));
    const onData = (chunk: Buffer | string) => {
      const text = chunk.toString();
      if (text.includes('\u0003')) return finish(() => reject(new CliError('Interrupted.', { exitCode: ExitCode.Interrupted })));
      const newline = text.search(/[\r\n]/);
      if (newline === -1) {
        line += text;
        return;
      }
      line += text.slice(0, newline);
      onEnd();
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
