import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { MemoryProfileStore, type ProfileStore } from '../../src/profiles/store.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';

/** A store whose every read fails with `error`: lets a test pick how a command fails. */
function failingStore(error: Error): ProfileStore {
  return { location: 'test', read: async () => Promise.reject(error), update: async () => Promise.reject(error) };
}

describe('errors on stderr (text)', () => {
  it('are one sentence and a hint, with no stack trace', async () => {
    const result = await runCli(['profile', 'show', 'nope'], { dependencies: { profileStore: () => new MemoryProfileStore() } });
    expect(result.code).toBe(ExitCode.Config);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('show the stack and the cause chain with DVAS_DEBUG=1', async () => {
    const result = await runCli(['profile', 'list'], { env: { DVAS_DEBUG: '1' }, dependencies: { profileStore: () => failingStore(new Error('disk on fire', { cause: new Error('root cause') })) } });
    expect(result.stderr).toMatch(/\n {4}at /);
    expect(result.stderr).toContain('caused by: Error: root cause');
  });

  it('turn an unexpected exception into exit 10, "a bug", with no stack unless asked', async () => {
    const result = await runCli(['profile', 'list'], { dependencies: { profileStore: () => failingStore(new TypeError("Cannot read properties of undefined (reading 'x')")) } });
    expect(result.code).toBe(ExitCode.Internal);
    expect(result.stderr).toBe(
      "error: dvas failed unexpectedly: Cannot read properties of undefined (reading 'x')\nhint: Run again with DVAS_DEBUG=1 for the stack trace, and report it.\n",
    );
  });

  it('usage errors exit 2 with a pointer to --help', async () => {
    const result = await runCli(['profile', 'use']);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toBe("error: missing required argument 'name'\nhint: Add --help to the command to see its usage.\n");
  });

  it('are coloured only when stderr is a terminal', async () => {
    const piped = await runCli(['profile', 'show', 'nope'], { dependencies: { profileStore: () => new MemoryProfileStore() } });
    const terminal = await runCli(['profile', 'show', 'nope'], { tty: { stderr: true }, dependencies: { profileStore: () => new MemoryProfileStore() } });
    expect(piped.stderr).not.toContain('\u001b[');
    expect(terminal.stderr).toContain('\u001b[');
  });
});

describe('errors as JSON on stdout with -o json / ndjson', () => {
  it.each([
    ['a configuration error', ['-o', 'json', 'profile', 'show', 'nope'], ExitCode.Config, { code: null, status: null, message: expect.stringMatching(/^There is no profile named "nope"/), hint: expect.any(String) }],
    ['a usage error from commander', ['profile', 'use', '-o', 'json'], ExitCode.Usage, { code: null, status: null, message: "missing required argument 'name'", hint: 'Add --help to the command to see its usage.' }],
    ['an unknown option', ['-o', 'json', 'profile', 'list', '--bogus'], ExitCode.Usage, { message: "unknown option '--bogus'" }],
    ['a bad --as', ['-o', 'json', '--as', 'x\ny', 'profile', 'list'], ExitCode.Usage, { message: '--as contains a control character: "x\\ny".' }],
  ])('%s', async (_, argv, code, error) => {
    const result = await runCli(argv, { dependencies: { profileStore: () => new MemoryProfileStore() } });
    expect(result.code).toBe(code);
    expect(result.json()).toEqual({ error: expect.objectContaining(error) });
    expect(Object.keys((result.json() as { error: object }).error)).toEqual(['code', 'message', 'hint', 'status']);
    expect(result.stderr).toBe('');
  });

  it('carry the Dataverse code and HTTP status from the error', async () => {
    const { CliError } = await import('../../src/errors.js');
    const denied = new CliError('Sam Sales cannot read accounts.', { exitCode: ExitCode.PrivilegeDenied, code: '0x80040220', status: 403, hint: 'Assign a role.' });
    const result = await runCli(['profile', 'list', '-o', 'ndjson'], { dependencies: { profileStore: () => failingStore(denied) } });
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    expect(result.stdout).toBe('{"error":{"code":"0x80040220","message":"Sam Sales cannot read accounts.","hint":"Assign a role.","status":403}}\n');
  });

  it('stay on stderr when JSON is only the piped default, so a redirected run still shows the error', async () => {
    const result = await runCli(['profile', 'show', 'nope'], { dependencies: { profileStore: () => new MemoryProfileStore() } });
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: There is no profile named "nope"/);
  });
});

describe('help, version and interrupts', () => {
  it.each([[['--help']], [['help']], [['profile', '--help']], [['profile', 'add', '--help']], [['help', 'profile']]])('%j exits 0 with help on stdout', async (argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: dvas/);
  });

  it("the root help lists the global options (--as, -o, -p), a command's help points to it, and every help line reads alike", async () => {
    const whoami = await runCli(['whoami', '--help']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/see dvas --help\.\n$/);
    const root = (await runCli(['--help'])).stdout;
    expect(root).toMatch(/--as <user>/);
    expect(root).toMatch(/-o, --output <format>/);
    expect(root).toMatch(/-p, --profile <name>/);
    expect(root).toMatch(/--dry-run/);
    expect(root).toMatch(/help \[command\]\s+show help for a command/);
    expect(root).not.toMatch(/display help for command/);
    // The data commands first, then set-up, then the emulator.
    const order = [...root.matchAll(/^ {2}(\w[\w-]*)/gm)].map((match) => match[1]);
    expect(order).toEqual(['whoami', 'get', 'create', 'update', 'delete', 'associate', 'disassociate', 'api', 'roles', 'can', 'who-can', 'compare', 'users', 'profile', 'login', 'logout', 'completion', 'emulator', 'demo', 'help']);
  });

  it('--version prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('the version is the package version', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('no command at all: help on stderr, exit 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/^Usage: dvas/);
  });

  it('Ctrl+C during a command exits 130, and the handler is gone afterwards', async () => {
    const before = process.listenerCount('SIGINT');
    let started: () => void = () => undefined;
    const reading = new Promise<void>((resolve) => (started = resolve));
    const hanging: ProfileStore = {
      location: 'test',
      read: () => {
        started();
        return new Promise(() => undefined);
      },
      update: () => new Promise(() => undefined),
    };
    const running = runCli(['profile', 'list'], { dependencies: { profileStore: () => hanging } });
    await reading;
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT', 'SIGINT');
    const result = await running;
    expect(result.code).toBe(ExitCode.Interrupted);
    expect(result.stderr).toBe('error: Interrupted.\n');
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('the exit-code table', () => {
  it('lists the same codes in the README as in src/exit-codes.ts', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const table = section.slice(0, section.indexOf('\n## ', 3) === -1 ? undefined : section.indexOf('\n## ', 3));
    const documented = [...table.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]));
    expect(documented).toEqual(Object.values(ExitCode));
  });
});

describe('an unknown command', () => {
  it('suggests the closest command when one is close, and points to the list', async () => {
    const result = await runCli(['wohami']);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toBe("error: unknown command 'wohami' (Did you mean whoami?)\nhint: `dvas --help` lists the commands.\n");
  });

  it('suggests nothing when no command is close, only where the list is', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toBe("error: unknown command 'frobnicate'\nhint: `dvas --help` lists the commands.\n");
  });
});
