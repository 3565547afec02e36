import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const dvas = dvasAgainst(emulator);

interface Row {
  name: string;
  assignment: string;
  teamname: string | null;
  businessunitname: string | null;
}
const summary = (rows: Row[]) => rows.map((row) => `${row.name} ${row.assignment === 'direct' ? 'directly' : `via ${row.teamname}`}`);

describe('dvas roles', () => {
  it('without a user: the signed-in identity (WhoAmI), with each role\'s business unit and how it is held', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual([
      expect.objectContaining({ name: 'Delegate', assignment: 'direct', teamid: null, teamname: null, businessunitname: 'Contoso', roleid: expect.stringMatching(/^[0-9a-f-]{36}$/) }),
      expect.objectContaining({ name: 'dvas Integration', assignment: 'direct' }),
    ]);
  });

  it.each([
    ['Tess Team: roles only through a team', DEMO.tess, ['Salesperson via Sales Team']],
    ['Devon Delegate: Delegate only through a team', DEMO.devon, ['Account Manager directly', 'Delegate via Delegates']],
    ['Alex Admin', DEMO.admin, ['System Administrator directly']],
    ['Dana Disabled (a disabled user still has roles to list)', DEMO.dana, ['Salesperson directly']],
  ])('%s', async (_, email, expected) => {
    const run = await dvas(DEMO_APP.clientId, ['roles', email, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(summary(run.json() as Row[])).toEqual(expected);
  });

  it.each([
    ['a systemuserid', () => user(emulator(), DEMO.tess).systemuserid],
    ['aad:<object id>', () => `aad:${user(emulator(), DEMO.tess).azureactivedirectoryobjectid}`],
    ['a UPN', () => DEMO.tess],
  ])('the user may be given as %s', async (_, form) => {
    const run = await dvas(DEMO_APP.clientId, ['roles', form(), '-o', 'json']);
    expect(summary(run.json() as Row[])).toEqual(['Salesperson via Sales Team']);
  });

  it('DOMAIN\\user of an on-premises user', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', 'CONTOSO\\owen', '-o', 'json']);
    expect(summary(run.json() as Row[])).toEqual(['Salesperson directly']);
  });

  it('a table on a terminal: role, business unit, how it is assigned', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', DEMO.devon], { tty: { stdout: true } });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ROLE\s+BUSINESS UNIT\s+ASSIGNED\s+ROLEID$/);
    expect(lines[1]).toMatch(/^Account Manager\s+Contoso\s+directly\s+[0-9a-f-]{36}$/);
    expect(lines[2]).toMatch(/^Delegate\s+Contoso\s+through team Delegates\s+[0-9a-f-]{36}$/);
    expect(run.stderr).toBe('Security roles of Devon Delegate (devon.delegate@contoso.com):\n');
  });

  it('-o csv: the JSON field names as headers, so that CSV and JSON line up', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', DEMO.tess, '-o', 'csv']);
    const [header, first] = run.stdout.split(/\r?\n/);
    expect(header).toBe('roleid,name,businessunitid,businessunitname,assignment,teamid,teamname');
    expect(first).toMatch(/^[0-9a-f-]{36},Salesperson,[0-9a-f-]{36},Contoso,team,[0-9a-f-]{36},Sales Team$/);
    const json = (await dvas(DEMO_APP.clientId, ['roles', DEMO.tess, '-o', 'json'])).json() as Array<Record<string, unknown>>;
    expect(header?.split(',')).toEqual(Object.keys(json[0] ?? {}));
  });

  it('a user with no role: an empty list and a hint', async () => {
    const run = await dvas(DEMO_APP.clientId, ['roles', DEMO.nora, '-o', 'json']);
    expect(run.code).toBe(0);
    expect(run.json()).toEqual([]);
    expect(run.stderr).toContain('hint: This user has no security role, directly or through a team.');
  });

  it.each([
    ['an unknown user: exit 6', 'nobody@contoso.com', ExitCode.NotFound],
    ['a value that is no user form: exit 2', 'not a user', ExitCode.Usage],
  ])('%s', async (_, value, code) => {
    const run = await dvas(DEMO_APP.clientId, ['roles', value]);
    expect(run.code).toBe(code);
  });

  it('under --as, without a user: the roles of the user acted as, read as that user', async () => {
    const alex = user(emulator(), DEMO.admin);
    const run = await dvas(DEMO_APP.clientId, ['roles', '-o', 'json', '--verbose', '--as', DEMO.admin]);
    expect(summary(run.json() as Row[])).toEqual(['System Administrator directly']);
    const reads = loggedRequests(run.stderr).filter((request) => request.line.includes('_association'));
    expect(reads.map((request) => request.line)).toEqual([
      `GET systemusers(${alex.systemuserid})/systemuserroles_association`,
      `GET systemusers(${alex.systemuserid})/teammembership_association`,
    ]);
    for (const request of reads) expect(request.headers.callerobjectid).toBe(alex.azureactivedirectoryobjectid);
  });

  it('--dry-run with a systemuserid looks the user up, then prints the first of its two requests', async () => {
    const tess = user(emulator(), DEMO.tess);
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['roles', tess.systemuserid, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`GET ${emulator().apiUrl}systemusers(${tess.systemuserid})/systemuserroles_association?$select=name,roleid,_businessunitid_value`);
    expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${tess.systemuserid}\\)\\?`))]);
  });

  it('--dry-run --offline with a systemuserid prints the first of its two requests and sends nothing', async () => {
    const tess = user(emulator(), DEMO.tess);
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['roles', tess.systemuserid, '--dry-run', '--offline']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`GET ${emulator().apiUrl}systemusers(${tess.systemuserid})/systemuserroles_association?$select=name,roleid,_businessunitid_value`);
    expect(sent()).toEqual([]);
  });
});
