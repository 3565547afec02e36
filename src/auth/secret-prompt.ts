import { ReadStream } from 'node:tty';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { IO } from '../output/io.js';

/**
 * Asks for a secret on the terminal without echoing it: the question goes to stderr, the terminal
 * is put in raw mode so typed characters are not shown, and nothing of the answer is ever written
 * anywhere. Enter ends the answer, Backspace erases, Ctrl-C interrupts (exit 130).
 */
export function promptHidden(io: IO, question: string): Promise<string> {
  const stdin = io.stdin;
  const raw = stdin instanceof ReadStream ? (on: boolean) => stdin.setRawMode(on) : undefined;
  io.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let answer = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      raw?.(false);
      stdin.pause();
      io.stderr.write('\n');
      outcome();
    };
    const onEnd = () => finish(() => reject(new CliError('No answer: the input ended.', { exitCode: ExitCode.Auth })));
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish(() => resolve(answer));
        if (char === '\u0003') return finish(() => reject(new CliError('Interrupted.', { exitCode: ExitCode.Interrupted })));
        if (char === '\u0004' && answer === '') return onEnd();
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else if (char >= ' ') answer += char;
      }
    };
    raw?.(true);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
