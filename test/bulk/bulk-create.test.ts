import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { accountsNdjson, accountsStartingWith, reportLines, useWorkDir, writesSince } from './bulk-helpers.js';

const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const workDir = useWorkDir();

describe('dvas create --file with many rows', () => {
  it('NDJSON as the signed-in identity: CreateMultiple batches, every row once, a report line per row', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Bulk one', 7));
    const report = dir.path('report.ndjson');
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--batch-size', '3', '--report', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = accountsStartingWith(emulator(), 'Bulk one ');
    expect(rows.map((row) => row.name).sort()).toEqual(Array.from({ length: 7 }, (_, index) => `Bulk one ${index + 1}`).sort());
    const writes = writesSince(emulator(), before);
    expect(writes.map((entry) => entry.target)).toEqual(Array(3).fill('/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.CreateMultiple'));
    const lines = reportLines(report);
    expect(lines[0]).toMatchObject({ report: 'dvas-create', version: 1, table: 'account', entitySet: 'accounts', primaryId: 'accountid', positions: 'line', shard: null });
    const outcomes = lines.filter((line) => 'status' in line);
    expect(outcomes.map((line) => line.position).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const line of outcomes) {
      expect(line).toMatchObject({ status: 'created', user: null });
      expect(emulator().core.store.rows('account').get(String(line.id))).toBeDefined();
    }
    expect(run.json()).toMatchObject({ rows: 7, created: 7, failed: 0, notSent: 0, users: [{ user: null, rows: 7, created: 7 }] });
    expect(run.stderr).toMatch(/^Created 7 of 7 rows in accounts in /m);
  });

  it('--as: each request carries the user, the first row alone and read back, every row created as the user', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Bulk as', 5));
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--as', DEMO.sam, '--batch-size', '2', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const sam = user(emulator(), DEMO.sam).systemuserid;
    const rows = accountsStartingWith(emulator(), 'Bulk as ');
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.createdby).toMatchObject({ id: sam });
  });

  it('--as a user who may not create: the rows fail, and the denial is diagnosed under the service\'s error', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Bulk denied', 3));
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--as', DEMO.riley, '--batch-size', '2']);
    expect(run.code).not.toBe(0);
    expect(accountsStartingWith(emulator(), 'Bulk denied ')).toEqual([]);
    expect(run.stderr).toMatch(/^warning: .*Principal user .* is missing prvCreateAccount privilege.* None of this user's rows can be created\.$/m);
    expect(run.stderr).toContain(
      'diagnosis: Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.',
    );
    expect(run.stderr).toContain('  Roles that grant prvCreateAccount: Account Manager, dvas Integration, Salesperson, System Administrator.');
  });

  it('a malformed file sends nothing, and names the first problems by line, exit 2', async () => {
    const dir = workDir();
    const file = dir.file('bad.ndjson', ['{"name":"Bad 1"}', '{"name":', '{"nmae":"Bad 3"}', '{"name":"Bad 4","numberofemployees":"many"}', ''].join('\n'));
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file]);
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('has 3 problems; nothing was sent.');
    expect(run.stderr).toContain('line 2: not JSON');
    expect(run.stderr).toContain('line 3: unknown column "nmae" in account.');
    expect(run.stderr).toContain('line 4: \'numberofemployees\' takes a whole number, not the string "many".');
    expect(writesSince(emulator(), before)).toEqual([]);
    expect(accountsStartingWith(emulator(), 'Bad ')).toEqual([]);
  });
});
