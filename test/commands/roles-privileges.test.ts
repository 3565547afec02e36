import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * `dvas roles --privileges` and `roles --as B --effective` on the demo organisation: the answers
 * written out, each list checked against what the service itself says the user holds
 * (RetrieveUserSetOfPrivilegesByNames: direct and team roles at their real depth), and the
 * intersection checked by performing operations as the user.
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);

interface Held {
  privilege: string;
  depth: string;
  sources: Array<{ roleName: string; depth: string; team?: { name: string | null } }>;
}
interface Effective {
  actOnBehalf: { may: boolean; directRoles: string[]; teamRoles: string[] };
  privileges: Array<{ privilege: string; depth: string; signedIn: Held; actedAs: Held }>;
}

async function privileges(of: string, extra: string[] = []): Promise<Held[]> {
  const run = await dvas(DEMO_APP.clientId, ['roles', of, '--privileges', ...extra, '-o', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return run.json() as Held[];
}

/** The deepest depth the service reports for each privilege: what dvas must have found. */
async function serviceDepths(email: string, names: string[]): Promise<Record<string, string>> {
  const order = ['Basic', 'Local', 'Deep', 'Global'];
  const response = await api(
    emulator(),
    'GET',
    `systemusers(${user(emulator(), email).systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1)?@p1=${encodeURIComponent(JSON.stringify(names))}`,
  );
  expect(response.status, response.text).toBe(200);
  const depths: Record<string, string> = {};
  for (const entry of response.json.RolePrivileges as Array<{ PrivilegeName: string; Depth: string }>) {
    const known = depths[entry.PrivilegeName];
    if (!known || order.indexOf(entry.Depth) > order.indexOf(known)) depths[entry.PrivilegeName] = entry.Depth;
  }
  return depths;
}

const byName = (held: Held[]) => Object.fromEntries(held.map((entry) => [entry.privilege, entry.depth]));

describe('dvas roles --privileges', () => {
  it('Sam Sales: every privilege of Salesperson, at its depth, as the service reports it', async () => {
    const held = await privileges(DEMO.sam);
    expect(byName(held)).toEqual({
      prvAppendAccount: 'Basic',
      prvAppendContact: 'Basic',
      prvAppendToAccount: 'Basic',
      prvAppendToContact: 'Basic',
      prvCreateAccount: 'Basic',
      prvCreateContact: 'Basic',
      prvReadAccount: 'Local',
      prvReadContact: 'Local',
      prvReadUser: 'Global',
      prvWriteAccount: 'Basic',
      prvWriteContact: 'Basic',
    });
    expect(held.every((entry) => entry.sources.length === 1 && entry.sources[0]?.roleName === 'Salesperson' && !entry.sources[0].team)).toBe(true);
    expect(await serviceDepths(DEMO.sam, Object.keys(byName(held)))).toEqual(byName(held));
  });

  it('Tess Team: roles only through a team, each source naming the team; --table keeps one table', async () => {
    const held = await privileges(DEMO.tess, ['--table', 'accounts']);
    expect(byName(held)).toEqual({ prvAppendAccount: 'Basic', prvAppendToAccount: 'Basic', prvCreateAccount: 'Basic', prvReadAccount: 'Local', prvWriteAccount: 'Basic' });
    expect(held.map((entry) => entry.sources)).toEqual(held.map((entry) => [expect.objectContaining({ roleName: 'Salesperson', depth: entry.depth, team: expect.objectContaining({ name: 'Sales Team' }) })]));
    expect(await serviceDepths(DEMO.tess, Object.keys(byName(held)))).toEqual(byName(held));
  });

  it('Devon: Delegate through a team is listed with its team; a user with no roles holds nothing', async () => {
    const devon = await privileges(DEMO.devon, ['--table', 'account']);
    expect(devon.map((entry) => entry.sources.map((source) => source.roleName))).toEqual(devon.map(() => ['Account Manager']));
    const all = await privileges(DEMO.devon);
    expect(all.find((entry) => entry.privilege === 'prvActOnBehalfOfAnotherUser')?.sources).toEqual([expect.objectContaining({ roleName: 'Delegate', team: expect.objectContaining({ name: 'Delegates' }) })]);
    const nora = await dvas(DEMO_APP.clientId, ['roles', DEMO.nora, '--privileges', '-o', 'json']);
    expect(nora.json()).toEqual([]);
    expect(nora.stderr).toContain('This user has no security role, directly or through a team.');
  });

  it('Morgan: Salesperson directly (Local) and dvas Integration through Auditors (Global): the deepest wins, both sources listed', async () => {
    const held = await privileges(DEMO.morgan, ['--table', 'account']);
    expect(held.find((entry) => entry.privilege === 'prvReadAccount')).toEqual({
      privilege: 'prvReadAccount',
      depth: 'Global',
      sources: [
        expect.objectContaining({ roleName: 'dvas Integration', depth: 'Global', team: expect.objectContaining({ name: 'Auditors' }) }),
        expect.objectContaining({ roleName: 'Salesperson', depth: 'Local' }),
      ],
    });
    expect(held.find((entry) => entry.privilege === 'prvReadAccount')?.sources[1]).not.toHaveProperty('team');
    expect(await serviceDepths(DEMO.morgan, Object.keys(byName(held)))).toEqual(byName(held));
    // The service reads Fourth Coffee (root unit, beyond Local) for her: the Global source counts.
    expect((await dvas(DEMO.morgan, ['get', 'accounts', "accountnumber='ACC-001'"])).code).toBe(0);
  });

  it('a table view: privilege, depth, every source', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', DEMO.tess, '--privileges', '--table', 'account', '-o', 'table']);
    expect(run.stdout.split('\n')).toContain('prvReadAccount\tLocal\tSalesperson through team Sales Team (Local)');
  });

  it('flags that do not go together are usage errors, nothing sent', async () => {
    const before = emulator().requestLog.entries.length;
    for (const argv of [['roles', '--privileges', '--effective', '--as', DEMO.sam], ['roles', '--table', 'account'], ['roles', '--effective'], ['roles', DEMO.sam, '--effective', '--as', DEMO.sam]]) {
      const run = await dvas(DEMO_APP.clientId, argv);
      expect(run.code, argv.join(' ')).toBe(ExitCode.Usage);
    }
    expect(emulator().requestLog.entries.length).toBe(before);
  });
});

describe('dvas roles --as B --effective', () => {
  async function effective(as: string, table: string, who: string = DEMO_APP.clientId): Promise<Effective> {
    const run = await dvas(who, ['roles', '--as', as, '--effective', '--table', table, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    return run.json() as Effective;
  }

  it('the app as Sam on accounts: what both hold, at the lesser depth; the operations agree', async () => {
    const answer = await effective(DEMO.sam, 'account');
    expect(answer.actOnBehalf).toEqual({ may: true, directRoles: ['Delegate'], teamRoles: [] });
    expect(answer.privileges.map((entry) => [entry.privilege, entry.depth, entry.signedIn.depth, entry.actedAs.depth])).toEqual([
      ['prvAppendAccount', 'Basic', 'Global', 'Basic'],
      ['prvAppendToAccount', 'Basic', 'Global', 'Basic'],
      ['prvCreateAccount', 'Basic', 'Global', 'Basic'],
      ['prvReadAccount', 'Local', 'Global', 'Local'],
      ['prvWriteAccount', 'Basic', 'Global', 'Basic'],
    ]);
    // Held by both: the service creates; prvDeleteAccount is held by neither side's intersection: refused.
    expect((await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"effective"}'])).code).toBe(0);
    expect((await dvas(DEMO_APP.clientId, ['delete', 'accounts', "accountnumber='ACC-003'", '--as', DEMO.sam, '--yes'])).code).toBe(ExitCode.PrivilegeDenied);
  });

  it('the app as Alex on teams: Alex holds everything, the app not prvCreateTeam, so it is not in the list, and the service refuses it', async () => {
    const answer = await effective(DEMO.admin, 'team');
    expect(answer.privileges.map((entry) => [entry.privilege, entry.depth])).toEqual([['prvReadTeam', 'Global']]);
    expect((await dvas(DEMO_APP.clientId, ['create', 'teams', '--as', DEMO.admin, '--data', '{"name":"x"}'])).code).toBe(ExitCode.PrivilegeDenied);
  });

  it('the app as Nora (no roles): nothing applies; as Dana (disabled) the line says so', async () => {
    expect((await effective(DEMO.nora, 'account')).privileges).toEqual([]);
    const dana = await dvas(DEMO_APP.clientId, ['roles', '--as', DEMO.dana, '--effective', '--table', 'account', '-o', 'table']);
    expect(dana.stderr).toContain('Dana Disabled (dana.disabled@contoso.com) is disabled: no request can run as them.');
  });

  it('Morgan (Delegate only through a team) as Sam: the list, and the line saying she may not act on behalf of anyone; the service refuses', async () => {
    const run = await dvas(DEMO.morgan, ['roles', '--as', DEMO.sam, '--effective', '--table', 'account', '-o', 'json']);
    const answer = run.json() as Effective;
    expect(answer.actOnBehalf).toEqual({ may: false, directRoles: [], teamRoles: ['Delegate'] });
    const table = await dvas(DEMO.morgan, ['roles', '--as', DEMO.sam, '--effective', '--table', 'account', '-o', 'table']);
    expect(table.stderr).toContain(
      'The signed-in identity (Morgan Multi) may not act on behalf of anyone: it lacks prvActOnBehalfOfAnotherUser from a role assigned directly (it holds it only through a team: Delegate, which does not count)',
    );
    expect((await dvas(DEMO.morgan, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"never"}'])).code).toBe(ExitCode.PrivilegeDenied);
  });

  it('the target is the signed-in identity: its own privileges', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', '--as', DEMO.app, '--effective', '--table', 'account', '-o', 'table']);
    expect(run.stderr).toContain('is the signed-in identity itself: no impersonation, its own privileges apply.');
    expect(run.stdout).toContain('prvCreateAccount\tGlobal\tGlobal\tGlobal');
  });
});
