import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import { BIN, ensureBuilt, ROOT } from './build.js';

/** The documented example seed (docs/emulator-seed.md). */
export const EXAMPLE_SEED = join(ROOT, 'docs', 'examples', 'seed.json');

/** A real `node bin/dvas.js …` running in a child process (the emulator, usually). */
export interface DvasProcess {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * For a test file that runs long-lived dvas processes: builds dist/ first, and kills whatever a
 * test left running, so a failed assertion never leaves an emulator holding a port.
 */
export function useDvasProcesses(): (args: string[], env?: NodeJS.ProcessEnv) => DvasProcess {
  const children = new Set<ChildProcess>();
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
  });
  return (args, env = { ...process.env, NO_COLOR: '1' }) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, stdout: () => stdout, stderr: () => stderr, exited };
  };
}

/** Waits until stdout satisfies `predicate`; fails if the process ends first or 20 s pass. */
export async function waitForStdout(started: DvasProcess, predicate: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (!predicate(started.stdout())) {
    if (started.child.exitCode !== null) throw new Error(`dvas exited early (${started.child.exitCode}): ${started.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out; stdout: ${started.stdout()} stderr: ${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return started.stdout();
}

/** The first line on stdout: the emulator's `--json` startup line. */
export async function firstLine(started: DvasProcess): Promise<string> {
  const output = await waitForStdout(started, (text) => text.includes('\n'));
  return output.slice(0, output.indexOf('\n'));
}

/**
 * `dvas profile add` of a client-secret profile for the application user of an emulator started
 * with `--https --json` (its startup line), then `dvas whoami -o json`, both real processes that
 * trust the emulator's CA through NODE_EXTRA_CA_CERTS, in a fresh config directory. `tenant` and
 * `authority` are what the profile gives; returns whoami's run.
 */
export function whoamiOverHttps(
  info: { url: string; clientId: string; clientSecret: string; caPath: string | null },
  profile: { tenant: string; authority: string },
): SpawnSyncReturns<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    DVAS_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'dvas-https-')),
    NODE_EXTRA_CA_CERTS: info.caPath ?? '',
    DVAS_CLIENT_SECRET: info.clientSecret,
  };
  const add = spawnSync(
    process.execPath,
    [BIN, 'profile', 'add', 'tls', '--url', info.url, '--auth', 'client-secret', '--tenant', profile.tenant, '--client-id', info.clientId, '--authority', profile.authority, '--default'],
    { env, encoding: 'utf8' },
  );
  if (add.status !== 0) throw new Error(`dvas profile add failed (${add.status}): ${add.stderr}`);
  return spawnSync(process.execPath, [BIN, 'whoami', '-o', 'json'], { env, encoding: 'utf8', timeout: 20_000 });
}
