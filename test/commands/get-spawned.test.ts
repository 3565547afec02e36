import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { ensureBuilt } from '../helpers/build.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * `dvas get` as people and scripts run it: the real bin/dvas.js in a child process, signing in
 * with the demo application's client secret through msal-node against the emulator's authority.
 */
const emulator = useEmulator();
const newConfigDir = useTempConfigDir();

beforeAll(() => ensureBuilt(), 180_000);

const envFor = (configDir: string) => ({
  DVAS_CONFIG_DIR: configDir,
  DVAS_URL: emulator().url,
  // Without it every run would first learn the tenant from the bearer challenge (one more request).
  AZURE_TENANT_ID: emulator().tenantId,
  AZURE_CLIENT_ID: DEMO_APP.clientId,
  AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
});

async function tokenRequests(): Promise<number> {
  const log = (await (await fetch(`${emulator().url}/_emulator/authority/log`)).json()) as { tokenRequests: number };
  return log.tokenRequests;
}

describe('dvas get, spawned', () => {
  it('get accounts --as Sam: only his business unit; the second run reuses the token and the table lookup', async () => {
    const env = envFor(newConfigDir());
    const first = await spawnDvas(['get', 'accounts', '--as', DEMO.sam, '-o', 'json', '--select', 'name'], env);
    expect(first.code, first.stderr).toBe(ExitCode.Ok);
    const names = (first.json() as Array<{ name: string }>).map((row) => row.name).sort();
    expect(names).toContain('Litware, Inc.');
    expect(names).not.toContain('Fourth Coffee');

    const tokensBefore = await tokenRequests();
    const requestsBefore = emulator().stats.requests;
    const second = await spawnDvas(['get', 'account', '-o', 'ndjson', '--select', 'name'], env);
    expect(second.code, second.stderr).toBe(ExitCode.Ok);
    expect(second.stdout.trim().split('\n')).toHaveLength(10);
    expect(await tokenRequests()).toBe(tokensBefore);
    // The query alone: no EntityDefinitions lookup, no --as lookup.
    expect(emulator().stats.requests - requestsBefore).toBe(1);
  });

  it('exit codes of the process: 2 for a bad id (nothing sent), 6 for a missing record, 5 for a denied read', async () => {
    const env = envFor(newConfigDir());
    const before = emulator().stats.requests;
    expect((await spawnDvas(['get', 'accounts', 'not-a-guid'], env)).code).toBe(ExitCode.Usage);
    expect(emulator().stats.requests).toBe(before);
    expect((await spawnDvas(['get', 'accounts', '00000000-0000-0000-0000-000000000001'], env)).code).toBe(ExitCode.NotFound);
    const denied = await spawnDvas(['get', 'tasks', '--as', DEMO.riley, '-o', 'json'], env);
    expect(denied.code).toBe(ExitCode.PrivilegeDenied);
    expect(denied.json()).toMatchObject({ error: { code: '0x80040220' } });
  });

  it('a pipe gets JSON by default, and CSV streams with a header', async () => {
    const env = envFor(newConfigDir());
    const piped = await spawnDvas(['get', 'accounts', '--top', '2', '--select', 'name'], env);
    expect(piped.json()).toHaveLength(2);
    const csv = await spawnDvas(['get', 'accounts', '-o', 'csv', '--all', '--page-size', '4', '--select', 'name,_ownerid_value'], env);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('name,ownerid,accountid');
    expect(lines).toHaveLength(11);
  });
});
