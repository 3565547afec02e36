import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { loadedSources } from '../helpers/loaded-sources.js';
import { moduleRecorder } from '../helpers/module-recorder.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * Start-up (issues 4 and 7): what a short command loads, and `npm run bench:startup` itself. The
 * target ratio is measured by the bench on a quiet machine, not asserted here, where test files run
 * in parallel and wall times mean little (docs/start-up.md).
 */
const emulator = useEmulator();
const newConfigDir = useTempConfigDir();

beforeAll(() => ensureBuilt(), 180_000);

function run(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('what a command loads', () => {
  it('dvas --help loads the bundle only: nothing from node_modules file by file, a few chunks of dist/', () => {
    const recorder = moduleRecorder(dirname(newConfigDir()));
    const result = spawnSync(process.execPath, [...recorder.nodeArgs, BIN, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const files = recorder.loaded().filter((url) => url.startsWith('file:'));
    expect(files.filter((url) => !url.includes('/dist/') && !url.endsWith('/bin/dvas.js'))).toEqual([]);
    // cli.js and the chunks it shares with the lazily loaded parts (15 files today); the unbundled
    // build loaded 62. Counted once each: a chunk imported by three others is still one file read.
    expect(new Set(files).size).toBeLessThan(20);
    expect(loadedSources(files)).toContain('node_modules/commander/lib/command.js');
  });

  it('dvas whoami with a cached token loads no msal (and asks for no token)', async () => {
    const configDir = newConfigDir();
    const env = {
      DVAS_CONFIG_DIR: configDir,
      DVAS_URL: emulator().url,
      AZURE_TENANT_ID: emulator().tenantId,
      AZURE_CLIENT_ID: DEMO_APP.clientId,
      AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
    };
    const first = await spawnDvas(['whoami', '-o', 'json'], env);
    expect(first.code, first.stderr).toBe(0);
    const tokens = emulator().authority.log.tokenRequests;
    const recorder = moduleRecorder(join(dirname(configDir), 'recorder'));
    const second = await run(['whoami', '-o', 'json'], env, recorder.nodeArgs);
    expect(second.code, second.stderr).toBe(0);
    const sources = loadedSources(recorder.loaded());
    expect(sources.some((path) => path.startsWith('node_modules/undici/'))).toBe(true);
    expect(sources.filter((path) => path.startsWith('node_modules/@azure/'))).toEqual([]);
    expect(emulator().authority.log.tokenRequests).toBe(tokens);
  });

  it('dvas whoami loads undici\'s client only: not its index.js or fetch, and not Node\'s internal undici (global fetch)', async () => {
    const configDir = newConfigDir();
    const env = {
      DVAS_CONFIG_DIR: configDir,
      DVAS_URL: emulator().url,
      AZURE_TENANT_ID: emulator().tenantId,
      AZURE_CLIENT_ID: DEMO_APP.clientId,
      AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
    };
    expect((await spawnDvas(['whoami', '-o', 'json'], env)).code).toBe(0);
    const recorder = moduleRecorder(join(dirname(configDir), 'recorder'));
    // Node's built-in modules a process compiled, as Node lists them, written when it exits.
    const builtinsFile = join(dirname(configDir), 'builtins.json');
    const listBuiltins = `data:text/javascript,${encodeURIComponent(
      `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(builtinsFile)}, JSON.stringify(process.moduleLoadList)));`,
    )}`;
    const second = await run(['whoami', '-o', 'json'], env, [...recorder.nodeArgs, '--import', listBuiltins]);
    expect(second.code, second.stderr).toBe(0);
    const sources = loadedSources(recorder.loaded());
    expect(sources).toContain('node_modules/undici/lib/dispatcher/client-h1.js');
    expect(sources.filter((path) => path === 'node_modules/undici/index.js' || path.startsWith('node_modules/undici/lib/web/fetch/index'))).toEqual([]);
    const builtins = JSON.parse(readFileSync(builtinsFile, 'utf8')) as string[];
    expect(builtins.length).toBeGreaterThan(10);
    expect(builtins.filter((name) => name.includes('internal/deps/undici'))).toEqual([]);
  });
});

describe('npm run bench:startup', () => {
  it('prints dvas whoami and the three bare scripts (node:http, undici, fetch), the three ratios, and that no token was asked for', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'test', 'bench', 'startup.bench.mjs'), '--runs', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/load average \d+\.\d → \d+\.\d/);
    for (const name of ['dvas whoami \\(cached token\\)', 'bare node script, node:http', 'bare node script, undici request\\(\\)', 'bare node script, fetch\\(\\)']) {
      expect(stdout).toMatch(new RegExp(`${name}\\s+wall median\\s+\\d+ ms \\(min\\s+\\d+ ms\\)\\s+CPU median\\s+\\d+ ms`));
    }
    expect(stdout).toMatch(/Ratio dvas \/ bare node:http \(medians\): \d+\.\d\d \(target ≤ 2\.0: (met|missed)\); CPU time \d+\.\d\d/);
    expect(stdout).toMatch(/Ratio dvas \/ bare undici request\(\) \(medians\): \d+\.\d\d; CPU time \d+\.\d\d/);
    expect(stdout).toMatch(/Ratio dvas \/ bare fetch\(\) \(medians\): \d+\.\d\d; CPU time \d+\.\d\d/);
    expect(stdout).toContain('Token requests while measuring: 0.');
  }, 90_000);
});
