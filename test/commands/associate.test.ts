import { describe, expect, it } from 'vitest';
import { DEMO_APP, type RunningEmulator } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user, writesIn } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { createRowAs, MISSING_ID } from '../helpers/rows.js';

/** A second System Administrator to act as, and one without an Entra object id (MSCRMCallerID). */
const ADA = { fullname: 'Ada Admin', email: 'ada.admin@contoso.com', roles: ['System Administrator'] };
const OTTO = { fullname: 'Otto OnPrem', email: 'otto.onprem@contoso.com', domainname: 'CONTOSO\\otto', objectId: null, roles: ['System Administrator'] };

function rowId(emulator: RunningEmulator, table: string, column: string, value: string): string {
  const found = [...emulator.core.store.rows(table).entries()].find(([, row]) => row[column] === value);
  if (!found) throw new Error(`No ${table} with ${column} ${value}`);
  return found[0];
}
const teamId = (emulator: RunningEmulator, name: string) => rowId(emulator, 'team', 'name', name);
const members = (emulator: RunningEmulator, team: string) => [...emulator.core.store.associated('teammembership_association', team, false)];
const rolesOf = (emulator: RunningEmulator, userId: string) => [...emulator.core.store.associated('systemuserroles_association', userId, true)];
const parentOf = (emulator: RunningEmulator, contactId: string) => emulator.core.store.rows('contact').get(contactId)?.parentcustomerid ?? null;
/** The Web API requests the emulator received since `from`, as `METHOD path`. */
const sentSince = (emulator: RunningEmulator, from: number) =>
  emulator.requestLog.entries.slice(from).map((entry) => `${entry.method} ${decodeURIComponent(entry.target.split('?')[0] ?? '')}`);

describe('dvas associate / disassociate', () => {
  const emulator = useEmulator({ seed: demoSeedWith(ADA, OTTO) });
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  it('adds a user to a team (N:N): POST …/teammembership_association/$ref with the team\'s @odata.id, exit 0', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '-o', 'json', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({
      row: `systemusers(${nora})`,
      id: nora,
      navigation: 'teammembership_association',
      relatedRow: `teams(${team})`,
      relatedId: team,
      associated: true,
    });
    expect(members(emulator(), team)).toContain(nora);
    expect(loggedRequests(run.stderr).at(-1)?.line).toBe(`POST systemusers(${nora})/teammembership_association/$ref`);
    expect(JSON.parse(emulator().requestLog.entries.at(-1)?.body ?? '')).toEqual({ '@odata.id': `${emulator().url}/api/data/v9.2/teams(${team})` });
    expect(run.stderr).toContain(`✓ Associated systemusers(${nora}) to teams(${team}) (teammembership_association).`);

    const again = await dvas(DEMO.admin, ['associate', 'systemuser', nora, 'teammembership_association', 'team', team]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('were already associated through teammembership_association: nothing was changed.');

    const removed = await dvas(DEMO.admin, ['disassociate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--verbose']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(members(emulator(), team)).not.toContain(nora);
    expect(loggedRequests(removed.stderr).at(-1)?.line).toBe(`DELETE systemusers(${nora})/teammembership_association/$ref`);
    expect(new URLSearchParams(emulator().requestLog.entries.at(-1)?.target.split('?')[1]).get('$id')).toBe(`${emulator().url}/api/data/v9.2/teams(${team})`);
    expect(removed.stderr).toContain(`✓ Disassociated systemusers(${nora}) from teams(${team}) (teammembership_association).`);
  });

  it('gives a user a role (N:N, from either side)', async () => {
    const riley = user(emulator(), DEMO.riley).systemuserid;
    const role = rowId(emulator(), 'role', 'name', 'Account Manager');
    const run = await dvas(DEMO.admin, ['associate', 'roles', role, 'systemuserroles_association', 'systemusers', riley]);
    expect(run.code, run.stderr).toBe(0);
    expect(rolesOf(emulator(), riley)).toContain(role);
    const removed = await dvas(DEMO.admin, ['disassociate', 'systemusers', riley, 'systemuserroles_association', 'roles', role]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(rolesOf(emulator(), riley)).not.toContain(role);
  });

  it('sets and clears a lookup (N:1) with PUT and DELETE …/$ref, by alternate key too', async () => {
    const contact = await createRowAs(emulator(), DEMO.admin, 'contacts', { lastname: 'Lookup' });
    const account = rowId(emulator(), 'account', 'accountnumber', 'ACC-002');
    const run = await dvas(DEMO.admin, ['associate', 'contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-002'", '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(loggedRequests(run.stderr).at(-1)?.line).toBe(`PUT contacts(${contact})/parentcustomerid_account/$ref`);
    expect(parentOf(emulator(), contact)).toMatchObject({ table: 'account', id: account });

    const other = await dvas(DEMO.admin, ['disassociate', 'contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-001'"]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toContain("is not linked to accounts(accountnumber='ACC-001') through parentcustomerid_account: nothing was changed.");
    expect(parentOf(emulator(), contact)).toMatchObject({ id: account });

    const cleared = await dvas(DEMO.admin, ['disassociate', 'contacts', contact, 'parentcustomerid_account', 'accounts', account, '--verbose']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(loggedRequests(cleared.stderr).at(-1)?.line).toBe(`DELETE contacts(${contact})/parentcustomerid_account/$ref`);
    expect(parentOf(emulator(), contact)).toBeNull();
  });

  it('links through a 1:N navigation property (the related row\'s lookup is set)', async () => {
    const contact = await createRowAs(emulator(), DEMO.admin, 'contacts', { lastname: 'Child' });
    const account = rowId(emulator(), 'account', 'accountnumber', 'ACC-004');
    const run = await dvas(DEMO.admin, ['associate', 'accounts', account, 'contact_customer_accounts', 'contacts', contact]);
    expect(run.code, run.stderr).toBe(0);
    expect(parentOf(emulator(), contact)).toMatchObject({ table: 'account', id: account });
    const removed = await dvas(DEMO.admin, ['disassociate', 'accounts', account, 'contact_customer_accounts', 'contacts', contact]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(parentOf(emulator(), contact)).toBeNull();
  });

  describe('bad input: exit 2, and no link is sent', () => {
    const nora = () => user(emulator(), DEMO.nora).systemuserid;
    const team = () => teamId(emulator(), 'Delegates');

    it.each<[string, () => string[], RegExp]>([
      ['a first id that is neither a GUID nor a key', () => ['systemusers', 'nora', 'teammembership_association', 'teams', team()], /^error: The first id "nora" is neither a GUID nor an alternate key/],
      ['a second id with a path in it', () => ['systemusers', nora(), 'teammembership_association', 'teams', "name='a/../b'"], /^error: The second id holds "\/"/],
      ['a navigation property that could be a path', () => ['systemusers', nora(), 'teammembership_association/$ref', 'teams', team()], /^error: "teammembership_association\/\$ref" is not a navigation property name/],
      ['a table that could be a path', () => ['systemusers?x', nora(), 'teammembership_association', 'teams', team()], /^error: "systemusers\?x" is not a table name/],
    ])('%s: nothing at all is sent', async (_label, argv, message) => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO.admin, ['associate', ...argv()]);
      expect(run.code).toBe(ExitCode.Usage);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(emulator().stats.requests).toBe(before);
    });

    it('a navigation property the table does not have: exit 2 with the close names, only metadata read', async () => {
      const from = emulator().requestLog.entries.length;
      const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora(), 'TeamMembership_Association', 'teams', team()]);
      expect(run.code).toBe(ExitCode.Usage);
      expect(run.stderr).toContain('error: systemuser has no navigation property "TeamMembership_Association" (names are case-sensitive).');
      expect(run.stderr).toContain('hint: Did you mean teammembership_association (to team)');
      expect(sentSince(emulator(), from).every((line) => line.startsWith('GET '))).toBe(true);
    });

    it('a second row of another table than the navigation property leads to: exit 2, no $ref sent', async () => {
      const role = rowId(emulator(), 'role', 'name', 'Reader');
      const from = emulator().requestLog.entries.length;
      const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora(), 'teammembership_association', 'roles', role]);
      expect(run.code).toBe(ExitCode.Usage);
      expect(run.stderr).toContain('error: systemuser.teammembership_association leads to team rows, not role: nothing was associated.');
      expect(sentSince(emulator(), from).filter((line) => line.includes('$ref'))).toEqual([]);
      expect(rolesOf(emulator(), nora())).not.toContain(role);
    });
  });

  it('a missing row, first or second: exit 6, nothing linked', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const first = await dvas(DEMO.admin, ['associate', 'systemusers', MISSING_ID, 'teammembership_association', 'teams', team]);
    expect(first.code, first.stderr).toBe(ExitCode.NotFound);
    expect(first.stderr).toMatch(/^error: Entity 'systemuser' With Id = \S+ Does Not Exist\./);
    const second = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', MISSING_ID]);
    expect(second.code, second.stderr).toBe(ExitCode.NotFound);
    expect(second.stderr).toMatch(/^error: Entity 'team' With Id = \S+ Does Not Exist\./);
    expect(members(emulator(), team)).not.toContain(nora);
  });

  it('--dry-run makes the lookups it needs (tables, navigation property), then prints the $ref request; nothing linked', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--dry-run'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^POST \\S+/api/data/v9\\.2/systemusers\\(${nora}\\)/teammembership_association/\\$ref\\n`));
    expect(sent().some((request) => request.startsWith('GET /api/data/v9.2/EntityDefinitions'))).toBe(true);
    expect(writesIn(sent())).toEqual([]);
    expect(members(emulator(), team)).not.toContain(nora);
  });

  it('--dry-run --offline prints the first lookup it would need, and sends nothing', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--dry-run', '--offline'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^GET \S+\/api\/data\/v9\.2\/EntityDefinitions\?/);
    expect(run.stderr).toContain('Dry run (--offline): the lookup above was not sent');
    expect(sent()).toEqual([]);
  });

  it('--dry-run after a real run (tables and navigation property cached): the $ref request itself, caller header included, only the --as check sent', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const ada = user(emulator(), ADA.email).systemuserid;
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    expect((await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team], { env })).code).toBe(0);
    expect((await dvas(DEMO.admin, ['disassociate', 'systemusers', nora, 'teammembership_association', 'teams', team], { env })).code).toBe(0);
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--dry-run', '--as', ada], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^POST \\S+/api/data/v9\\.2/systemusers\\(${nora}\\)/teammembership_association/\\$ref\\n`));
    expect(run.stdout).toContain(`\nMSCRMCallerID: ${ada}\n`);
    expect(run.stdout).toContain(`\n{"@odata.id":"${emulator().url}/api/data/v9.2/teams(${team})"}\n`);
    expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${ada}\\)\\?`))]);
    expect(members(emulator(), team)).not.toContain(nora);
  });

  it('a denial without --as: exit 5 naming the privilege', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const run = await dvas(DEMO_APP.clientId, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team]);
    expect(run.code, run.stderr).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/is missing prv(Write|Append)User privilege/);
    expect(members(emulator(), team)).not.toContain(nora);
  });

  describe('under --as', () => {
    it.each<[string, () => string]>([
      ['an email', () => ADA.email],
      ['a systemuserid', () => user(emulator(), ADA.email).systemuserid],
      ['aad:<object id>', () => `aad:${String(user(emulator(), ADA.email).azureactivedirectoryobjectid)}`],
      ['DOMAIN\\user (MSCRMCallerID)', () => OTTO.domainname],
    ])('%s: N:N linked as that user, with the caller header on the $ref request', async (_label, asValue) => {
      const nora = user(emulator(), DEMO.nora).systemuserid;
      const team = teamId(emulator(), 'Sales Team');
      const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--verbose', '--as', asValue()]);
      expect(run.code, run.stderr).toBe(0);
      expect(members(emulator(), team)).toContain(nora);
      const sent = loggedRequests(run.stderr).find((request) => request.line.endsWith('/$ref'));
      expect(Object.keys(sent?.headers ?? {}).some((name) => name === 'callerobjectid' || name === 'mscrmcallerid')).toBe(true);
      expect(run.stderr).toMatch(/✓ Associated systemusers\(\S+\) to teams\(\S+\) \(teammembership_association\) as (Ada Admin|Otto OnPrem)/);
      const removed = await dvas(DEMO.admin, ['disassociate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--as', asValue()]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(members(emulator(), team)).not.toContain(nora);
    });

    it.each<[string, () => string]>([
      ['an email', () => DEMO.sam],
      ['a systemuserid', () => user(emulator(), DEMO.sam).systemuserid],
      ['aad:<object id>', () => `aad:${String(user(emulator(), DEMO.sam).azureactivedirectoryobjectid)}`],
    ])('%s: a lookup set as that user, checked by reading modifiedby back', async (_label, asValue) => {
      const contact = await createRowAs(emulator(), DEMO.sam, 'contacts', { lastname: `Sam's ${_label}` });
      const run = await dvas(DEMO.admin, ['associate', 'contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-003'", '--verbose', '--as', asValue()]);
      expect(run.code, run.stderr).toBe(0);
      const contactRow = emulator().core.store.rows('contact').get(contact);
      expect(contactRow?.modifiedby).toMatchObject({ id: user(emulator(), DEMO.sam).systemuserid });
      expect(loggedRequests(run.stderr).map((request) => request.line)).toContain(`GET contacts(${contact})`);
      expect(run.stderr).toContain('as Sam Sales (sam.sales@contoso.com).');
    });

    it('a denial is explained, naming who lacks what (exit 5)', async () => {
      const nora = user(emulator(), DEMO.nora).systemuserid;
      const team = teamId(emulator(), 'Delegates');
      const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--as', DEMO.sam]);
      expect(run.code, run.stderr).toBe(ExitCode.PrivilegeDenied);
      expect(run.stderr).toMatch(/^error: Principal user .* is missing prv(Write|Append)User privilege .*\[0x80040220\]$/m);
      expect(run.stderr).toMatch(/^diagnosis: Sam Sales \(sam\.sales@contoso\.com\) lacks prv(Write|Append)User; the signed-in identity \(Alex Admin\) holds it at Global \(Organization\) depth through System Administrator\.$/m);
      expect(members(emulator(), team)).not.toContain(nora);
    });

    it('an --as user who does not exist: exit 6 before anything is linked', async () => {
      const nora = user(emulator(), DEMO.nora).systemuserid;
      const team = teamId(emulator(), 'Delegates');
      const run = await dvas(DEMO.admin, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--as', 'nobody@contoso.com']);
      expect(run.code, run.stderr).toBe(ExitCode.NotFound);
      expect(members(emulator(), team)).not.toContain(nora);
    });
  });
});

describe('dvas associate: is the impersonation applied?', () => {
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('N:N with an id naming no user, which the service would ignore: WhoAmI says so first, exit 8, nothing linked', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = teamId(emulator(), 'Delegates');
    const run = await dvas(IVY.email, ['associate', 'systemusers', nora, 'teammembership_association', 'teams', team, '--as', `aad:${NOBODY_ID}`]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toMatch(/^error: Dataverse runs requests under --as aad:\S+ as the signed-in identity \(\S+\) \(WhoAmI says so\): it did not apply the impersonation, so dvas did not associate systemusers\(/);
    expect(members(emulator(), team)).not.toContain(nora);
  });

  it('a lookup with an id naming no user: the row\'s modifiedby says who made the change, exit 8', async () => {
    const contact = await createRowAs(emulator(), IVY.email, 'contacts', { lastname: 'Ivy owns it' });
    const run = await dvas(IVY.email, ['associate', 'contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-001'", '--as', `aad:${NOBODY_ID}`]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toMatch(/^error: Dataverse associated contacts\(\S+\) to accounts\(accountnumber='ACC-001'\) \(parentcustomerid_account\) as the signed-in identity \(\S+\), not as \S+: Dataverse did not apply the impersonation\./);
  });
});
