import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSI, useTempConfigDir } from '../helpers/cli.js';
import { loadedSources } from '../helpers/loaded-sources.js';
import { moduleRecorder } from '../helpers/module-recorder.js';

/**
 * The real program as a user runs it: `node bin/dvas.js` in a child process, for what only a real
 * process shows (exit codes, file modes, terminals, which modules load). Needs `npm run build`.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/dvas.js');
const hasScript = spawnSync('script', ['--version']).status === 0;
const newConfigDir = useTempConfigDir();

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests.');
});

/** The parent's environment without anything that would change dvas's behaviour. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(DVAS_|AZURE_|NO_COLOR$|FORCE_COLOR$|CI$|TERM$)/.test(name)) env[name] = value;
  }
  return { ...env, TERM: 'xterm-256color', ...extra };
}

function dvas(args: string[], env: Record<string, string>, options: { cwd?: string; nodeArgs?: string[] } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(env), encoding: 'utf8', timeout: 20_000 });
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Runs dvas under a pseudo-terminal (util-linux `script`): stdout and stderr are both a TTY, merged. */
function dvasOnTerminal(args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: cleanEnv(env), encoding: 'utf8', timeout: 20_000 });
}

describe('exit codes of the real process', () => {
  it.each([
    ['--help', ['--help'], 0],
    ['--version', ['--version'], 0],
    ['an unknown option', ['--bogus'], 2],
    ['a bad --url', ['profile', 'add', 'dev', '--url', 'http://example.com'], 2],
    ['an unknown profile', ['profile', 'show', 'nope'], 3],
    ['a good profile add', ['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com'], 0],
  ])('%s → %i', (_, args, code) => {
    const result = dvas(args, { DVAS_CONFIG_DIR: newConfigDir() });
    expect(result.status, result.stderr).toBe(code);
  });

  it('a JSON error on stdout with -o json', () => {
    const result = dvas(['-o', 'json', 'profile', 'show', 'nope'], { DVAS_CONFIG_DIR: newConfigDir() });
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout).error.message).toMatch(/no profile named "nope"/);
  });

  it('a corrupted profiles file → 3, naming the file, no stack', () => {
    const directory = newConfigDir();
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'profiles.json'), '{not json');
    const result = dvas(['profile', 'list'], { DVAS_CONFIG_DIR: directory });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`The profiles file ${join(directory, 'profiles.json')} is not valid JSON.`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(process.platform === 'win32')('files', () => {
  it('profiles.json is 0600 in a 0700 directory', () => {
    const directory = newConfigDir();
    expect(dvas(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: directory }).status).toBe(0);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(join(directory, 'profiles.json')).mode & 0o777).toBe(0o600);
  });

  it('stores certificate paths given relative to the working directory as absolute paths', () => {
    const directory = newConfigDir();
    const work = dirname(directory);
    writeFileSync(join(work, 'app.pem'), 'cert');
    writeFileSync(join(work, 'app.key'), 'key');
    const args = ['profile', 'add', 'app', '--url', 'https://contoso.crm.dynamics.com', '--client-id', '0a1b2c3d-0000-4000-8000-000000000001', '--certificate', 'app.pem', '--key', './app.key'];
    const result = dvas(args, { DVAS_CONFIG_DIR: directory }, { cwd: work });
    expect(result.status, result.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(directory, 'profiles.json'), 'utf8'));
    expect(saved.profiles.app).toMatchObject({ certificatePath: join(work, 'app.pem'), keyPath: join(work, 'app.key') });
  });
});

describe.skipIf(!hasScript)('on a terminal', () => {
  function withProfile(): string {
    const directory = newConfigDir();
    dvas(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: directory });
    return directory;
  }

  it('prints a coloured, aligned table', () => {
    const result = dvasOnTerminal(['profile', 'list'], { DVAS_CONFIG_DIR: withProfile() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/NAME.*URL.*AUTH.*DEFAULT/);
    expect(result.stdout).toMatch(ANSI);
  });

  it.each([
    ['NO_COLOR=1', ['profile', 'list'], { NO_COLOR: '1' }],
    ['--no-color', ['profile', 'list', '--no-color'], {}],
    ['CI', ['profile', 'list'], { CI: 'true' }],
  ])('prints no escape codes at all with %s, on stdout or stderr', (_, args, env) => {
    const directory = withProfile();
    const list = dvasOnTerminal(args, { DVAS_CONFIG_DIR: directory, ...env });
    expect(list.stdout).toMatch(/NAME.*URL/);
    expect(list.stdout).not.toMatch(ANSI);
    const add = dvasOnTerminal(['profile', 'add', 'test', '--url', 'https://test.crm.dynamics.com', ...args.slice(2)], { DVAS_CONFIG_DIR: directory, ...env });
    expect(add.stdout).toContain('Saved profile "test"');
    expect(add.stdout).not.toMatch(ANSI);
  });
});

describe('start-up cost', () => {
  /** Records the modules a spawned dvas loads; its files go beside a fresh config directory. */
  const newRecorder = () => moduleRecorder(dirname(newConfigDir()));

  // Paths of the sources behind what was loaded (dist/ is a bundle: see test/helpers/loaded-sources.ts).
  // The table of Dataverse facts is the exception: --help texts quote it, and it imports nothing
  // (test/unit/dataverse-facts.test.ts checks that); so is the loopback rule, which profile checks
  // share with the network layer and which imports only node:net.
  const heavy = /^node_modules\/(@azure\/msal-[a-z]+|undici)\/|^src\/(dataverse\/(?!facts\.ts$)|auth\/|http\/(?!loopback\.ts$))/;

  it.each([
    ['dvas --help', ['--help']],
    ['dvas profile list', ['profile', 'list']],
    ['dvas profile show', ['profile', 'show']],
    // What the shell runs on every Tab (dvas completion): the table names come from the cache.
    ['dvas __complete get ""', ['__complete', 'get', '']],
  ])('%s loads neither msal nor undici', (_, args) => {
    const recorder = newRecorder();
    const directory = newConfigDir();
    dvas(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: directory });
    const result = dvas(args, { DVAS_CONFIG_DIR: directory }, { nodeArgs: recorder.nodeArgs });
    expect(result.status, result.stderr).toBe(0);
    const loaded = loadedSources(recorder.loaded());
    // The recorder works: it saw the program and its argument parser.
    expect(loaded).toContain('src/cli.ts');
    expect(loaded.some((path) => path.startsWith('node_modules/commander/'))).toBe(true);
    expect(loaded.filter((path) => heavy.test(path))).toEqual([]);
  });

  it('reading profiles does not load conf either (only writing does)', () => {
    const recorder = newRecorder();
    const directory = newConfigDir();
    dvas(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: directory });
    dvas(['profile', 'list'], { DVAS_CONFIG_DIR: directory }, { nodeArgs: recorder.nodeArgs });
    expect(loadedSources(recorder.loaded()).filter((path) => path.startsWith('node_modules/conf/'))).toEqual([]);
    const writer = newRecorder();
    dvas(['profile', 'use', 'dev'], { DVAS_CONFIG_DIR: directory }, { nodeArgs: writer.nodeArgs });
    expect(loadedSources(writer.loaded()).some((path) => path.startsWith('node_modules/conf/'))).toBe(true);
  });

  it('the recorder does see undici when the Dataverse client factory is loaded (the hook is not blind)', () => {
    const recorder = newRecorder();
    const factory = pathToFileURL(join(ROOT, 'dist/dataverse/create-client.js')).href;
    const result = spawnSync(process.execPath, [...recorder.nodeArgs, '--input-type=module', '-e', `await import(${JSON.stringify(factory)})`], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(loadedSources(recorder.loaded()).some((path) => path.startsWith('node_modules/undici/'))).toBe(true);
  });
});
