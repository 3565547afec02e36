import { spawn } from 'node:child_process';
import { BIN, ROOT } from './build.js';

export interface SpawnedRun {
  code: number | null;
  /** The signal that ended the process, when one did (then `code` is null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json(): unknown;
}

/** The parent's environment without anything that would change dvas's behaviour, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(DVAS_|AZURE_|NO_COLOR$|FORCE_COLOR$|CI$|TERM$)/.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the real `node bin/dvas.js` in a child process and waits for it, without blocking the
 * event loop: the emulator it talks to may run in this very process. With `terminal`, it runs
 * under a pseudo-terminal (util-linux `script`), where stdout and stderr are one TTY stream.
 */
export function spawnDvas(
  args: string[],
  env: Record<string, string>,
  options: {
    stdin?: string;
    terminal?: boolean;
    /** Sees stderr as it arrives, e.g. to act on a sign-in URL while dvas waits, or to press Ctrl+C (`interrupt`). */
    onStderr?: (text: string, control: { interrupt(): void }) => void;
  } = {},
): Promise<SpawnedRun> {
  const [command, commandArgs] = options.terminal
    ? ['script', ['-qec', [process.execPath, BIN, ...args].map(shellQuote).join(' '), '/dev/null']]
    : [process.execPath, [BIN, ...args]];
  const child = spawn(command, commandArgs, { cwd: ROOT, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr, { interrupt: () => void child.kill('SIGINT') });
  });
  child.stdin.end(options.stdin ?? '');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      resolve({ code, signal, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}
