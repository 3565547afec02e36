import type { MainOptions } from '../../src/cli.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runCli, useTempConfigDir, type CliRun } from './cli.js';

export interface RunOptions {
  /** More variables (they win over the defaults). */
  env?: Record<string, string | undefined>;
  stdin?: string;
  tty?: { stdout?: boolean; stderr?: boolean; columns?: number };
  /** What the run gets instead of the real thing: a test clock, for one. */
  dependencies?: MainOptions['dependencies'];
}

/**
 * Runs dvas in process against an emulator, signed in as one of its users (email, or an
 * application user's client id) through a bearer token in DVAS_ACCESS_TOKEN, with a profile made
 * from DVAS_URL and a fresh config directory per run (so no table cache carries over).
 */
export function dvasAgainst(emulator: () => RunningEmulator): (who: string, argv: string[], options?: RunOptions) => Promise<CliRun> {
  const newConfigDir = useTempConfigDir();
  return (who, argv, options = {}) =>
    runCli(argv, {
      env: {
        DVAS_URL: emulator().url,
        DVAS_ACCESS_TOKEN: emulator().issueToken(who),
        DVAS_CONFIG_DIR: newConfigDir(),
        NO_COLOR: '1',
        ...options.env,
      },
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      ...(options.tty ? { tty: options.tty } : {}),
      ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    });
}

/** The request lines and headers --verbose logged for each request, in order: `GET <path>` plus its headers. */
export function loggedRequests(stderr: string): Array<{ line: string; headers: Record<string, string> }> {
  const requests: Array<{ line: string; headers: Record<string, string> }> = [];
  for (const text of stderr.split('\n')) {
    const request = /^> ([A-Z]+) (\S+)$/.exec(text);
    if (request) {
      requests.push({ line: `${request[1]} ${new URL(request[2] ?? '').pathname.replace(/^\/api\/data\/v9\.2\//, '')}`, headers: {} });
      continue;
    }
    const header = /^> ([^:]+): (.*)$/.exec(text);
    const last = requests.at(-1);
    if (header && last) last.headers[(header[1] ?? '').toLowerCase()] = header[2] ?? '';
  }
  return requests;
}
