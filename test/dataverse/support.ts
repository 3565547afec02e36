import { PassThrough } from 'node:stream';
import type { IO } from '../../src/output/io.js';
import type { Profile } from '../../src/profiles/types.js';

/** An IO whose streams are strings the test can read. */
export function bufferIO(options: { tty?: boolean } = {}): IO & { out(): string; err(): string; type(text: string): void } {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin,
    isStdoutTTY: options.tty ?? false,
    isStderrTTY: options.tty ?? false,
    isStdinTTY: options.tty ?? false,
    out: () => out,
    err: () => err,
    /** What a person types at the terminal. */
    type: (text: string) => stdin.write(text),
  };
}

export function profileFor(url: string, overrides: Partial<Profile> = {}): Profile {
  return { name: 'test', url, auth: 'token', apiVersion: 'v9.2', ...overrides };
}
