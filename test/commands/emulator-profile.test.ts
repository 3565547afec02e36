import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { DEMO } from '../helpers/emulator.js';
import { EXAMPLE_SEED, firstLine, useDvasProcesses } from '../helpers/emulator-process.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * `dvas emulator --profile <name>` in one process, other dvas commands in others: the newcomer's
 * path. Everything here is a real `node bin/dvas.js`; the config directory is a temp one.
 */
const newConfigDir = useTempConfigDir();
const run = useDvasProcesses();

interface Started {
  info: { url: string; tenantId: string; profile?: string };
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `dvas emulator --port 0 --json …` with its own config directory and waits for its one JSON line. */
async function startEmulator(configDir: string, args: string[]): Promise<Started> {
  const started = run(['emulator', '--port', '0', '--json', ...args], { PATH: process.env.PATH ?? '', DVAS_CONFIG_DIR: configDir, NO_COLOR: '1' });
  const info = JSON.parse(await firstLine(started)) as Started['info'];
  return {
    info,
    stderr: started.stderr,
    stop: async () => {
      started.child.kill('SIGTERM');
      return (await started.exited).code;
    },
  };
}

function savedProfiles(configDir: string): { defaultProfile?: string; profiles: Record<string, Record<string, string>> } {
  return JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8'));
}

describe('dvas emulator --profile demo', () => {
  it('saves a certificate profile that other commands use at once, with no secret anywhere', async () => {
    const configDir = newConfigDir();
    const emulator = await startEmulator(configDir, ['--profile', 'demo']);
    expect(emulator.info.profile).toBe('demo');
    expect(emulator.stderr()).toContain('Saved profile "demo"');
    expect(emulator.stderr()).toContain('run `dvas whoami` in another terminal');

    const saved = savedProfiles(configDir);
    expect(saved.defaultProfile).toBe('demo');
    expect(saved.profiles.demo).toEqual({
      url: emulator.info.url,
      auth: 'certificate',
      tenantId: emulator.info.tenantId,
      clientId: DEMO_APP.clientId,
      certificatePath: join(configDir, 'emulator', 'dvas-demo-app.crt.pem'),
      keyPath: join(configDir, 'emulator', 'dvas-demo-app.key.pem'),
      apiVersion: 'v9.2',
    });
    // stdout (--json) names the same certificate files as the profile and stderr (issue 12).
    expect(emulator.info).toMatchObject({ certificatePath: saved.profiles.demo?.certificatePath, privateKeyPath: saved.profiles.demo?.keyPath });
    expect(emulator.stderr()).toContain(join(configDir, 'emulator', 'dvas-demo-app.crt.pem'));
    expect(readFileSync(join(configDir, 'profiles.json'), 'utf8')).not.toContain(DEMO_APP.clientSecret);
    expect(statSync(join(configDir, 'emulator')).mode & 0o777).toBe(0o700);
    expect(statSync(join(configDir, 'emulator', 'dvas-demo-app.key.pem')).mode & 0o777).toBe(0o600);

    // Another terminal: no -p, no variables, no secret.
    const env = { DVAS_CONFIG_DIR: configDir };
    const whoami = await spawnDvas(['whoami', '-o', 'json'], env);
    expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
    expect(whoami.json()).toMatchObject({ fullname: 'dvas demo app' });
    const asSam = await spawnDvas(['get', 'accounts', '--as', DEMO.sam, '-o', 'json', '--select', 'name'], env);
    expect(asSam.code, asSam.stderr).toBe(ExitCode.Ok);
    expect((asSam.json() as unknown[]).length).toBeGreaterThan(0);

    expect(await emulator.stop()).toBe(0);
    // The profile and its certificate outlive the emulator, for the next start.
    expect(statSync(join(configDir, 'emulator', 'dvas-demo-app.crt.pem')).isFile()).toBe(true);
  });

  it('a restart (new port) replaces its own profile', async () => {
    const configDir = newConfigDir();
    const first = await startEmulator(configDir, ['--profile', 'demo']);
    await first.stop();
    const second = await startEmulator(configDir, ['-p', 'demo']);
    expect(savedProfiles(configDir).profiles.demo?.url).toBe(second.info.url);
    const whoami = await spawnDvas(['whoami', '-o', 'json'], { DVAS_CONFIG_DIR: configDir });
    expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
    await second.stop();
  });

  it('leaves another default profile the default, and says how to use the new one', async () => {
    const configDir = newConfigDir();
    expect((await spawnDvas(['profile', 'add', 'work', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: configDir })).code).toBe(0);
    const emulator = await startEmulator(configDir, ['--profile', 'emu']);
    expect(savedProfiles(configDir).defaultProfile).toBe('work');
    expect(emulator.stderr()).toContain('dvas whoami -p emu');
    const whoami = await spawnDvas(['whoami', '-o', 'json', '-p', 'emu'], { DVAS_CONFIG_DIR: configDir });
    expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
    await emulator.stop();
  });

  it('never overwrites a profile for a real environment: exit 3 before starting', async () => {
    const configDir = newConfigDir();
    await spawnDvas(['profile', 'add', 'demo', '--url', 'https://contoso.crm.dynamics.com'], { DVAS_CONFIG_DIR: configDir });
    const run = await spawnDvas(['emulator', '--port', '0', '--json', '--profile', 'demo'], { DVAS_CONFIG_DIR: configDir });
    expect(run.code).toBe(ExitCode.Config);
    expect(run.stderr).toContain('connects to https://contoso.crm.dynamics.com, not to an emulator');
    expect(run.stdout).toBe('');
    expect(savedProfiles(configDir).profiles.demo?.url).toBe('https://contoso.crm.dynamics.com');
  });

  it('an invalid profile name: exit 2 before starting', async () => {
    const run = await spawnDvas(['emulator', '--port', '0', '--profile', 'no/slashes'], { DVAS_CONFIG_DIR: newConfigDir() });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: --profile must be/);
  });

  it('a seed whose application has only a secret: a client-secret profile, the secret from DVAS_CLIENT_SECRET', async () => {
    const configDir = newConfigDir();
    const emulator = await startEmulator(configDir, ['--profile', 'fabrikam', '--seed', EXAMPLE_SEED]);
    expect(savedProfiles(configDir).profiles.fabrikam).toMatchObject({ auth: 'client-secret', clientId: '3f2e1d0c-9b8a-4766-a554-433221100fed' });
    expect(emulator.stderr()).toContain('set DVAS_CLIENT_SECRET');
    expect(readFileSync(join(configDir, 'profiles.json'), 'utf8')).not.toContain('fabrikam-demo-secret');
    const whoami = await spawnDvas(['whoami', '-o', 'json'], { DVAS_CONFIG_DIR: configDir, DVAS_CLIENT_SECRET: 'fabrikam-demo-secret' });
    expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
    await emulator.stop();
  });
});

describe('dvas emulator without --profile', () => {
  it('writes no profile', async () => {
    const configDir = newConfigDir();
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'marker'), '');
    const emulator = await startEmulator(configDir, []);
    expect(emulator.info.profile).toBeUndefined();
    expect(() => statSync(join(configDir, 'profiles.json'))).toThrow();
    await emulator.stop();
  });
});
