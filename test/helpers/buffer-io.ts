import { PassThrough } from 'node:stream';
import type { IO } from '../../src/output/io.js';

export interface BufferIO extends IO {
  stdoutText(): string;
  stderrText(): string;
  /** What a person types at the terminal: written to stdin. */
  type(text: string): void;
}

export interface BufferTTY {
  stdout?: boolean;
  stderr?: boolean;
  stdin?: boolean;
  columns?: number;
}

/**
 * Streams that write into strings, the one IO of the tests. `tty` says what the program should
 * believe they are: `true` for a person at a terminal (all three), or stream by stream.
 */
export function bufferIO(tty: boolean | BufferTTY = {}): BufferIO {
  const streams: BufferTTY = typeof tty === 'boolean' ? { stdout: tty, stderr: tty, stdin: tty } : tty;
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin,
    isStdoutTTY: streams.stdout ?? false,
    isStderrTTY: streams.stderr ?? false,
    isStdinTTY: streams.stdin ?? false,
    ...(streams.stdout && streams.columns ? { stdoutColumns: streams.columns } : {}),
    stdoutText: () => out,
    stderrText: () => err,
    type: (text: string) => stdin.write(text),
  };
}
