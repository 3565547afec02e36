import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import type { UserRecord } from '../../src/users/user-record.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const names = (stdout: string) => (JSON.parse(stdout) as UserRecord[]).map((row) => row.fullname);

describe('dvas users', () => {
  it('as a table fits a 150-column terminal: names and business units cut short; ids and emails whole', async () => {
    const run = await dvas(DEMO_APP.clientId, ['users'], { tty: { stdout: true, columns: 150 } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(150);
    expect(run.stdout).toContain('…');
    expect(run.stdout).toContain('dvas-demo-app@contoso.com');
    const sam = user(emulator(), DEMO.sam);
    expect(run.stdout).toContain(sam.systemuserid);
    expect(run.stdout).toContain(String(sam.azureactivedirectoryobjectid));
  });

  it('without a search: every user, by name, with the ids --as takes', async () => {
    const run = await dvas(DEMO_APP.clientId, ['users', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.json() as UserRecord[];
    expect(rows.map((row) => row.fullname)).toEqual([...emulator().users.map((entry) => entry.fullname)].sort((a, b) => a.localeCompare(b)));
    const sam = user(emulator(), DEMO.sam);
    expect(rows.find((row) => row.fullname === 'Sam Sales')).toEqual({
      systemuserid: sam.systemuserid,
      fullname: 'Sam Sales',
      internalemailaddress: DEMO.sam,
      domainname: DEMO.sam,
      azureactivedirectoryobjectid: sam.azureactivedirectoryobjectid,
      isdisabled: false,
      applicationid: null,
      businessunitid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      businessunitname: 'Contoso Sales',
    });
    expect(rows.find((row) => row.fullname === 'Owen OnPrem')).toMatchObject({ azureactivedirectoryobjectid: null, domainname: 'CONTOSO\\owen' });
    expect(rows.find((row) => row.fullname === 'Dana Disabled')).toMatchObject({ isdisabled: true });
    expect(rows.find((row) => row.fullname === 'dvas demo app')).toMatchObject({ applicationid: DEMO_APP.clientId });
  });

  it.each([
    ['part of a name, in any case', 'sAm', ['Sam Sales']],
    ['part of an email', 'reader@', ['Riley Reader']],
    ['part of a domain name', 'CONTOSO\\', ['Owen OnPrem']],
    ['a common part', 'de', ['Devon Delegate', 'dvas demo app', 'Riley Reader']],
    ["a quote (escaped in the filter)", "o'", []],
  ])('searches %s', async (_, search, expected) => {
    const run = await dvas(DEMO_APP.clientId, ['users', search, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(names(run.stdout)).toEqual(expected);
  });

  it.each([
    ['systemuserid', () => user(emulator(), DEMO.tess).systemuserid],
    ['Entra object id', () => user(emulator(), DEMO.tess).azureactivedirectoryobjectid ?? ''],
  ])('finds a user by %s', async (_, id) => {
    const run = await dvas(DEMO_APP.clientId, ['users', id(), '-o', 'json']);
    expect(names(run.stdout)).toEqual(['Tess Team']);
  });

  it('-o csv: the JSON field names as headers and the JSON values, row for row', async () => {
    const csv = await dvas(DEMO_APP.clientId, ['users', 'sam', '-o', 'csv']);
    const json = (await dvas(DEMO_APP.clientId, ['users', 'sam', '-o', 'json'])).json() as Array<Record<string, unknown>>;
    const [header, ...rows] = csv.stdout.trimEnd().split('\r\n');
    expect(header?.split(',')).toEqual(Object.keys(json[0] ?? {}));
    expect(rows.map((row) => row.split(','))).toEqual(json.map((item) => Object.values(item).map((value) => (value === null ? '' : String(value)))));
  });

  it('no match: an empty list and a hint on stderr', async () => {
    const run = await dvas(DEMO_APP.clientId, ['users', 'zzz', '-o', 'json']);
    expect(run.code).toBe(0);
    expect(run.json()).toEqual([]);
    expect(run.stderr).toBe('hint: No user\'s name, email or domain name contains "zzz".\n');
  });

  it('reads every page: --page-size 2 gets all ten users in five requests', async () => {
    const run = await dvas(DEMO_APP.clientId, ['users', '-o', 'json', '--verbose', '--page-size', '2']);
    expect(names(run.stdout)).toHaveLength(10);
    expect(loggedRequests(run.stderr).filter((request) => request.line === 'GET systemusers')).toHaveLength(5);
  });

  it.each(['0', '5001', 'ten', '1.5'])('--page-size %s is a usage error', async (size) => {
    const run = await dvas(DEMO_APP.clientId, ['users', '--page-size', size]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('--page-size must be a whole number from 1 to 5000');
  });

  it('a table on a terminal; tab-separated rows without a header in a pipe', async () => {
    const onTerminal = await dvas(DEMO_APP.clientId, ['users', 'sam', '-o', 'table'], { tty: { stdout: true } });
    expect(onTerminal.stdout.split('\n')[0]).toMatch(/^FULLNAME\s+SYSTEMUSERID\s+ENTRA OBJECT ID\s+EMAIL \/ DOMAIN NAME\s+DISABLED\s+APPLICATION\s+BUSINESS UNIT$/);
    const piped = await dvas(DEMO_APP.clientId, ['users', 'sam', '-o', 'table']);
    const sam = user(emulator(), DEMO.sam);
    expect(piped.stdout).toBe(`Sam Sales\t${sam.systemuserid}\t${sam.azureactivedirectoryobjectid}\t${DEMO.sam}\tfalse\tfalse\tContoso Sales\n`);
  });

  it('-o ndjson: one user per line', async () => {
    const run = await dvas(DEMO_APP.clientId, ['users', 'de', '-o', 'ndjson']);
    expect(run.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as UserRecord).fullname)).toHaveLength(3);
  });

  it('--dry-run prints the query and sends nothing', async () => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO_APP.clientId, ['users', 'sam', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toContain('/systemusers?$select=systemuserid,fullname,');
    expect(run.stdout.split('\n')[0]).toContain('$filter=contains(fullname,%27sam%27)%20or%20contains(internalemailaddress,%27sam%27)');
    expect(emulator().stats.requests).toBe(before);
  });

  it('an identity that may not read users: exit 5 with the Dataverse code', async () => {
    const run = await dvas(DEMO.nora, ['users', '-o', 'json']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.json()).toMatchObject({ error: { code: '0x80040220', status: 403 } });
  });
});
