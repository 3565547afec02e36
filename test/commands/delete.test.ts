import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { DEMO_APP, type RunningEmulator } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { bufferIO, useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { createRowAs, MISSING_ID } from '../helpers/rows.js';
import { until } from '../helpers/until.js';

/** Under impersonation both identities need prvDeleteAccount: only System Administrators hold it in the demo. */
const ADA = { fullname: 'Ada Admin', email: 'ada.admin@contoso.com', roles: ['System Administrator'] };
const OTTO = { fullname: 'Otto OnPrem', email: 'otto.onprem@contoso.com', domainname: 'CONTOSO\\otto', objectId: null, roles: ['System Administrator'] };

const account = (emulator: () => RunningEmulator, id: string) => emulator().core.store.rows('account').get(id);

describe('dvas delete', () => {
  const emulator = useEmulator({ seed: demoSeedWith(ADA, OTTO) });
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  /** Runs dvas with stdin a terminal that answers `answer`. */
  async function onTerminal(who: string, argv: string[], answer: string) {
    const io = bufferIO({ stdout: true, stderr: true });
    io.isStdinTTY = true;
    io.stdin = Readable.from([Buffer.from(answer)]);
    const env = { DVAS_URL: emulator().url, DVAS_ACCESS_TOKEN: emulator().issueToken(who), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' };
    const code = await main(argv, { io, env });
    return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
  }

  it('--yes as the signed-in identity: DELETE, the row gone (read back), exit 0', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Doomed' });
    const run = await dvas(DEMO.admin, ['delete', 'accounts', id, '--yes', '-o', 'json', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ id, deleted: true });
    expect(account(emulator, id)).toBeUndefined();
    const lines = loggedRequests(run.stderr).map((request) => request.line);
    expect(lines.slice(-2)).toEqual([`DELETE accounts(${id})`, `GET accounts(${id})`]);
    expect(run.stderr).toContain(`✓ Deleted accounts(${id}).\n`);
  });

  it('without --yes and no terminal: exit 2, nothing sent, the row kept', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Kept' });
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, ['delete', 'accounts', id]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: dvas delete needs --yes when it cannot ask \(stdin is not a terminal\): nothing was deleted\.\n/);
    expect(emulator().stats.requests).toBe(before);
    expect(account(emulator, id)).toBeDefined();
  });

  it('on a terminal: asks, naming the row; "y" deletes, anything else keeps it', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Ask me' });
    const no = await onTerminal(DEMO.admin, ['delete', 'accounts', id], 'n\n');
    expect(no.code, no.stderr).toBe(0);
    expect(no.stderr).toContain(`Delete account "Ask me" (accounts(${id}))? [y/N] `);
    expect(no.stderr).toContain('Nothing was deleted.');
    expect(account(emulator, id)).toBeDefined();
    const yes = await onTerminal(DEMO.admin, ['delete', 'accounts', id], 'y\n');
    expect(yes.code, yes.stderr).toBe(0);
    expect(account(emulator, id)).toBeUndefined();
  });

  it('a missing row: exit 6 (with --yes, and on a terminal before asking)', async () => {
    const run = await dvas(DEMO.admin, ['delete', 'accounts', MISSING_ID, '--yes']);
    expect(run.code).toBe(ExitCode.NotFound);
    expect(run.stderr).toMatch(/^error: Entity 'account' With Id = \S+ Does Not Exist\. \[0x80040217\]/);
    const asked = await onTerminal(DEMO.admin, ['delete', 'accounts', MISSING_ID], 'y\n');
    expect(asked.code).toBe(ExitCode.NotFound);
    expect(asked.stderr).not.toContain('[y/N]');
  });

  it('by alternate key', async () => {
    await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Keyed', accountnumber: 'DEL-1' });
    const run = await dvas(DEMO.admin, ['delete', 'accounts', "accountnumber='DEL-1'", '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect([...emulator().core.store.rows('account').values()].filter((row) => row.accountnumber === 'DEL-1')).toEqual([]);
    expect(run.stderr).toContain("✓ Deleted accounts(accountnumber='DEL-1').");
  });

  it('--dry-run prints the DELETE (no --yes needed), sends only reads and deletes nothing', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    expect((await dvas(DEMO.admin, ['get', 'accounts', '--top', '1'], { env })).code).toBe(0);
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Dry delete' });
    const ada = user(emulator(), ADA.email);
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['delete', 'accounts', id, '--dry-run', '--as', ada.systemuserid], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^DELETE \\S+/api/data/v9\\.2/accounts\\(${id}\\)\\n`));
    expect(run.stdout).toContain(`\nMSCRMCallerID: ${ada.systemuserid}\n`);
    expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${ada.systemuserid}\\)\\?`))]);
    expect(account(emulator, id)).toBeDefined();
  });

  it('a denial without --as: the signed-in identity lacks prvDeleteAccount (exit 5)', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'App cannot delete' });
    const run = await dvas(DEMO_APP.clientId, ['delete', 'accounts', id, '--yes']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain('is missing prvDeleteAccount privilege');
    expect(account(emulator, id)).toBeDefined();
  });

  describe('under --as', () => {
    it.each<[string, () => string]>([
      ['an email', () => ADA.email],
      ['a systemuserid', () => user(emulator(), ADA.email).systemuserid],
      ['aad:<object id>', () => `aad:${String(user(emulator(), ADA.email).azureactivedirectoryobjectid)}`],
      ['DOMAIN\\user (MSCRMCallerID)', () => OTTO.domainname],
    ])('%s: deleted as that user, the row gone', async (_label, asValue) => {
      const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Delete as another admin' });
      const run = await dvas(DEMO.admin, ['delete', 'accounts', id, '--yes', '--verbose', '--as', asValue()]);
      expect(run.code, run.stderr).toBe(0);
      expect(account(emulator, id)).toBeUndefined();
      const deleted = loggedRequests(run.stderr).find((request) => request.line.startsWith('DELETE'));
      expect(Object.keys(deleted?.headers ?? {}).some((name) => name === 'callerobjectid' || name === 'mscrmcallerid')).toBe(true);
      expect(run.stderr).toMatch(/✓ Deleted accounts\(\S+\) as (Ada Admin|Otto OnPrem)/);
    });

    it('a denial is explained, naming who lacks what (exit 5)', async () => {
      const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Sam may not delete' });
      const run = await dvas(DEMO.admin, ['delete', 'accounts', id, '--yes', '--as', DEMO.sam]);
      expect(run.code).toBe(ExitCode.PrivilegeDenied);
      expect(run.stderr).toMatch(/^error: Principal user .* is missing prvDeleteAccount privilege .*\[0x80040220\]$/m);
      expect(run.stderr).toContain(
        'diagnosis: Sam Sales (sam.sales@contoso.com) lacks prvDeleteAccount; the signed-in identity (Alex Admin) holds it at Global (Organization) depth through System Administrator.',
      );
      expect(account(emulator, id)).toBeDefined();
    });
  });

  describe('a lost answer', () => {
    afterEach(() => emulator().setFaults(undefined));

    it('the connection dropped after the row was deleted: sent again, the 404 then means it is gone (exit 0, a warning)', async () => {
      const env = { DVAS_CONFIG_DIR: newConfigDir() };
      expect((await dvas(DEMO.admin, ['get', 'accounts', '--top', '1'], { env })).code).toBe(0);
      const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Dropped delete' });
      emulator().setFaults('dropAfter=1');
      const before = emulator().stats.requests;
      const running = dvas(DEMO.admin, ['delete', 'accounts', id, '--yes'], { env });
      await until(() => emulator().stats.requests !== before, 'the request to arrive');
      emulator().setFaults(undefined);
      const run = await running;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`warning: The answer to the first DELETE of accounts(${id}) was lost; when dvas sent it again the row was gone.`);
      expect(account(emulator, id)).toBeUndefined();
    });
  });
});

describe('dvas delete: is the impersonation applied?', () => {
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('an id naming no user, which the service would ignore: WhoAmI says so first, exit 8, nothing deleted', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Ivy cannot delete' });
    const run = await dvas(IVY.email, ['delete', 'accounts', id, '--yes', '--as', `aad:${NOBODY_ID}`]);
    expect(run.code).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toMatch(/^error: Dataverse runs requests under --as aad:\S+ as the signed-in identity \(\S+\) \(WhoAmI says so\): it did not apply the impersonation, so dvas did not delete accounts\(/);
    expect(account(emulator, id)).toBeDefined();
  });
});
