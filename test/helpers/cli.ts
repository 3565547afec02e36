import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach } from 'vitest';
import { main, type MainOptions } from '../../src/cli.js';
import { bufferIO, type BufferTTY } from './buffer-io.js';

export { bufferIO, type BufferIO } from './buffer-io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json(): unknown;
}

/**
 * Runs `main` in process with buffer IO; `env` replaces the process environment entirely; `stdin`
 * is what the program reads from standard input (default: the test process's own).
 */
export async function runCli(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    tty?: BufferTTY;
    dependencies?: MainOptions['dependencies'];
    stdin?: string;
  } = {},
): Promise<CliRun> {
  const io = bufferIO(options.tty);
  if (options.stdin !== undefined) io.stdin = Readable.from([Buffer.from(options.stdin)]);
  const code = await main(argv, { io, env: options.env ?? {}, ...(options.dependencies ? { dependencies: options.dependencies } : {}) });
  const stdout = io.stdoutText();
  return { code, stdout, stderr: io.stderrText(), json: () => JSON.parse(stdout) };
}

/** A fresh config directory per test (removed afterwards), so no test reads or writes the user's profiles. */
export function useTempConfigDir(): () => string {
  const created: string[] = [];
  afterEach(() => {
    for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const root = mkdtempSync(join(tmpdir(), 'dvas-test-'));
    created.push(root);
    // A directory that does not exist yet: dvas must create it with mode 0700.
    return join(root, 'config');
  };
}

/** Strips ANSI escape sequences. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

export const ANSI = /\u001b\[/;
