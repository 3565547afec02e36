import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * `dvas compare` on the demo organisation: the differences written out, and each row checked
 * against the service's own answer for the user (RetrievePrincipalAccess: ReadAccess or not).
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);

interface Answer {
  first: { label: string; rows: number; refused: string | null };
  second: { label: string; rows: number; refused: string | null };
  same: boolean;
  both: number;
  onlyFirst: Array<{ id: string; name: string }>;
  onlySecond: Array<{ id: string; name: string }>;
  columns: unknown[];
}

async function compare(argv: string[], who: string = DEMO_APP.clientId): Promise<Answer> {
  const run = await dvas(who, ['compare', ...argv, '-o', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return run.json() as Answer;
}

async function mayRead(email: string, accountId: string): Promise<boolean> {
  const response = await api(
    emulator(),
    'GET',
    `systemusers(${user(emulator(), email).systemuserid})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'accounts(${accountId})'}`,
  );
  expect(response.status, response.text).toBe(200);
  return String(response.json.AccessRights).split(', ').includes('ReadAccess');
}

describe('dvas compare', () => {
  it('the app (Global) with Sam (Local in Contoso Sales, one share): the five rows only the app sees', async () => {
    const answer = await compare(['accounts', DEMO.sam, '--select', 'name', '--filter', "startswith(accountnumber,'ACC-')"]);
    expect(answer.first).toMatchObject({ label: 'the signed-in identity', rows: 10, refused: null });
    expect(answer.second).toMatchObject({ label: 'Sam Sales (sam.sales@contoso.com)', rows: 5 });
    expect(answer.onlyFirst.map((row) => row.name).sort()).toEqual(['Blue Yonder Airlines', 'City Power & Light', 'Coho Winery', 'Fourth Coffee', "O'Brien Logistics"]);
    expect(answer).toMatchObject({ both: 5, onlySecond: [], columns: [], same: false });
    for (const row of answer.onlyFirst) expect(await mayRead(DEMO.sam, row.id), row.name).toBe(false);
  });

  it('two users: Sam sees Contoso Pharmaceuticals (shared with him), Tess does not; the rest they share', async () => {
    const answer = await compare(['accounts', DEMO.sam, DEMO.tess, '--select', 'name,address1_city', '--filter', "startswith(accountnumber,'ACC-')"]);
    expect(answer.onlyFirst.map((row) => row.name)).toEqual(['Contoso Pharmaceuticals']);
    expect(answer).toMatchObject({ both: 4, onlySecond: [] });
    expect(await mayRead(DEMO.sam, answer.onlyFirst[0]!.id)).toBe(true);
    expect(await mayRead(DEMO.tess, answer.onlyFirst[0]!.id)).toBe(false);
  });

  it('--as is one side: Alex (as --as) with Riley, both Global readers, see the same', async () => {
    const answer = await compare(['accounts', DEMO.riley, '--as', DEMO.admin, '--select', 'name']);
    expect(answer).toMatchObject({ same: true, onlyFirst: [], onlySecond: [], columns: [] });
    expect(answer.first.label).toBe('Alex Admin (admin@contoso.com)');
  });

  it('a user refused the whole query sees nothing, and says why', async () => {
    const run = await dvas(DEMO_APP.clientId, ['compare', 'teams', DEMO.admin, DEMO.sam, '-o', 'json']);
    const answer = run.json() as Answer;
    expect(answer.second.refused).toContain('is missing prvReadTeam privilege');
    expect(answer.onlyFirst.map((row) => row.name).sort()).toEqual(['Auditors', 'Delegates', 'Sales Team']);
    expect(run.stderr).toContain('Sam Sales (sam.sales@contoso.com) may not run this query at all');
  });

  it('three users, or two and --as, are usage errors before any request', async () => {
    const before = emulator().requestLog.entries.length;
    expect((await dvas(DEMO_APP.clientId, ['compare', 'accounts', DEMO.sam, DEMO.tess, DEMO.riley])).code).toBe(ExitCode.Usage);
    expect((await dvas(DEMO_APP.clientId, ['compare', 'accounts', DEMO.sam, DEMO.tess, '--as', DEMO.admin])).code).toBe(ExitCode.Usage);
    expect((await dvas(DEMO_APP.clientId, ['compare', 'accounts', DEMO.sam, '--top', 'x'])).code).toBe(ExitCode.Usage);
    expect(emulator().requestLog.entries.length).toBe(before);
  });

  it('the table view: one line per row only one sees', async () => {
    const run = await dvas(DEMO_APP.clientId, ['compare', 'accounts', DEMO.sam, DEMO.tess, '--select', 'name', '-o', 'table']);
    expect(run.stdout).toMatch(/^Contoso Pharmaceuticals\t\(row\)\tsees it\tdoes not\t[0-9a-f-]{36}$/m);
    expect(run.stderr).toContain('Sam Sales (sam.sales@contoso.com): 5 rows; Tess Team (tess.team@contoso.com): 4 rows; 4 seen by both.');
  });
});
