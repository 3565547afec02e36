import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * `dvas who-can` on the demo organisation: the users written out, then every demo user performs the
 * operation signed in as themselves, and the service's decision must match the list (listed: done;
 * not listed: refused).
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);

interface Row {
  fullname: string;
  depth: string;
  sources: Array<{ roleName: string; team?: { name: string } }>;
  ways?: Array<{ kind: string }>;
  how?: string;
}

/** Each demo user, as the token names them (the app by its client id). */
const EVERYONE: Record<string, string> = {
  'dvas demo app': DEMO_APP.clientId,
  'Alex Admin': DEMO.admin,
  'Sam Sales': DEMO.sam,
  'Riley Reader': DEMO.riley,
  'Tess Team': DEMO.tess,
  'Devon Delegate': DEMO.devon,
  'Dana Disabled': DEMO.dana,
  'Nora NoRoles': DEMO.nora,
  'Owen OnPrem': DEMO.owen,
  'Morgan Multi': DEMO.morgan,
};

async function whoCan(argv: string[]): Promise<Row[]> {
  const run = await dvas(DEMO_APP.clientId, ['who-can', ...argv, '-o', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return run.json() as Row[];
}

/** Every demo user performs the operation as themselves; the names of those the service let through. */
async function servicePasses(operation: (name: string) => string[]): Promise<string[]> {
  const passed: string[] = [];
  for (const [name, who] of Object.entries(EVERYONE)) {
    const run = await dvas(who, operation(name));
    if (run.code === 0) passed.push(name);
    else expect([ExitCode.PrivilegeDenied, ExitCode.Auth], `${name}: ${run.stderr}`).toContain(run.code);
  }
  return passed.sort();
}

describe('dvas who-can', () => {
  it('create accounts: every enabled user holding prvCreateAccount, directly or through a team', async () => {
    const rows = await whoCan(['create', 'accounts']);
    expect(rows.map((row) => `${row.fullname} ${row.depth} ${row.sources.map((source) => `${source.roleName}${source.team ? ` via ${source.team.name}` : ''}`).join(', ')}`)).toEqual([
      'Alex Admin Global System Administrator',
      'Devon Delegate Global Account Manager',
      'dvas demo app Global dvas Integration',
      'Morgan Multi Global dvas Integration via Auditors, Salesperson',
      'Owen OnPrem Basic Salesperson',
      'Sam Sales Basic Salesperson',
      'Tess Team Basic Salesperson via Sales Team',
    ]);
    expect(await servicePasses((name) => ['create', 'accounts', '--data', JSON.stringify({ name: `who-can ${name}` })])).toEqual(rows.map((row) => row.fullname).sort());
  });

  it('read one row shared with Sam: Sam only through the share, Owen by his business unit, Global holders by depth', async () => {
    const rows = await whoCan(['read', 'accounts', '--record', "accountnumber='ACC-002'"]);
    expect(Object.fromEntries(rows.map((row) => [row.fullname, row.how]))).toEqual({
      'Alex Admin': 'they own it; Global (Organization) depth reaches every row',
      'Devon Delegate': 'Global (Organization) depth reaches every row',
      'dvas demo app': 'Global (Organization) depth reaches every row',
      'Morgan Multi': 'Global (Organization) depth reaches every row',
      'Owen OnPrem': 'Local (Business Unit) depth from Contoso',
      'Riley Reader': 'Global (Organization) depth reaches every row',
      'Sam Sales': 'it is shared with them',
    });
    expect(await servicePasses(() => ['get', 'accounts', "accountnumber='ACC-002'"])).toEqual(rows.map((row) => row.fullname).sort());
  });

  it('write a row a team owns: Tess through team ownership, not Sam (same business unit, Basic)', async () => {
    const rows = await whoCan(['write', 'accounts', '--record', "accountnumber='ACC-006'"]);
    expect(rows.map((row) => row.fullname)).toEqual(['Alex Admin', 'Devon Delegate', 'dvas demo app', 'Morgan Multi', 'Tess Team']);
    expect(rows.find((row) => row.fullname === 'Tess Team')?.ways).toEqual([expect.objectContaining({ kind: 'owning-team', teamName: 'Sales Team' })]);
    expect(await servicePasses(() => ['update', 'accounts', "accountnumber='ACC-006'", '--data', '{"address1_city":"Vail"}'])).toEqual(rows.map((row) => row.fullname).sort());
  });

  it('read a row of the root business unit shared with nobody: Sam and Tess (Local in Contoso Sales) cannot', async () => {
    const rows = await whoCan(['read', 'accounts', '--record', "accountnumber='ACC-001'"]);
    expect(rows.map((row) => row.fullname)).toEqual(['Alex Admin', 'Devon Delegate', 'dvas demo app', 'Morgan Multi', 'Owen OnPrem', 'Riley Reader']);
    expect(await servicePasses(() => ['get', 'accounts', "accountnumber='ACC-001'"])).toEqual(rows.map((row) => row.fullname).sort());
  });

  it('says how many disabled users hold it, without listing them; a privilege nobody holds is an empty list', async () => {
    const run = await dvas(DEMO_APP.clientId, ['who-can', 'create', 'accounts', '-o', 'json']);
    expect(run.stderr).toContain('1 disabled user also holds prvCreateAccount');
    expect(await whoCan(['delete', 'tasks'])).toEqual([expect.objectContaining({ fullname: 'Alex Admin' })]);
  });

  it('bad input is a usage error before any request; --as does not apply', async () => {
    const before = emulator().requestLog.entries.length;
    for (const argv of [['who-can', 'fly', 'accounts'], ['who-can', 'read', 'accounts', '--record', 'x y'], ['who-can', 'read', 'accounts', '--as', DEMO.sam]]) {
      expect((await dvas(DEMO_APP.clientId, argv)).code, argv.join(' ')).toBe(ExitCode.Usage);
    }
    expect(emulator().requestLog.entries.length).toBe(before);
  });
});
