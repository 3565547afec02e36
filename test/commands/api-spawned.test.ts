import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { ensureBuilt } from '../helpers/build.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { createRowAs } from '../helpers/rows.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * `dvas api` and `dvas associate` as scripts run them: the real bin/dvas.js in a child process,
 * signing in with the demo application's client secret through msal-node against the emulator.
 */
const emulator = useEmulator();
const newConfigDir = useTempConfigDir();

beforeAll(() => ensureBuilt(), 180_000);

const envFor = (configDir: string) => ({
  DVAS_CONFIG_DIR: configDir,
  DVAS_URL: emulator().url,
  AZURE_TENANT_ID: emulator().tenantId,
  AZURE_CLIENT_ID: DEMO_APP.clientId,
  AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
});

describe('dvas api and associate, spawned', () => {
  it('api GET WhoAmI --as: the body on stdout as sent, run as that user', async () => {
    const run = await spawnDvas(['api', 'GET', 'WhoAmI', '--as', DEMO.sam], envFor(newConfigDir()));
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.json()).toMatchObject({ UserId: user(emulator(), DEMO.sam).systemuserid });
  });

  it('api to another host: exit 2 before signing in, nothing sent', async () => {
    const before = emulator().requestLog.entries.length;
    const run = await spawnDvas(['api', 'GET', 'https://contoso.example.com/api/data/v9.2/WhoAmI'], envFor(newConfigDir()));
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: Refusing to send the request to https:\/\/contoso\.example\.com/);
    expect(emulator().requestLog.entries.length).toBe(before);
  });

  it('associate and disassociate a contact and its company as Sam: exit 0 each, modifiedby Sam', async () => {
    const env = envFor(newConfigDir());
    const contact = await createRowAs(emulator(), DEMO.sam, 'contacts', { lastname: 'Spawned link' });
    const args = ['contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-003'", '--as', DEMO.sam];
    const linked = await spawnDvas(['associate', ...args], env);
    expect(linked.code, linked.stderr).toBe(ExitCode.Ok);
    const row = () => emulator().core.store.rows('contact').get(contact);
    expect(row()?.parentcustomerid).toMatchObject({ table: 'account' });
    expect(row()?.modifiedby).toMatchObject({ id: user(emulator(), DEMO.sam).systemuserid });
    const unlinked = await spawnDvas(['disassociate', ...args], env);
    expect(unlinked.code, unlinked.stderr).toBe(ExitCode.Ok);
    expect(row()?.parentcustomerid ?? null).toBeNull();
  });

  it('associate a user to a team as the app, which may not change users: exit 5, nothing linked', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = [...emulator().core.store.rows('team').entries()].find(([, row]) => row.name === 'Sales Team')?.[0] ?? '';
    const run = await spawnDvas(['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--as', DEMO.admin], envFor(newConfigDir()));
    expect(run.code, run.stderr).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain('prvWriteUser');
    expect([...emulator().core.store.associated('teammembership_association', team, false)]).not.toContain(nora);
  });
});
