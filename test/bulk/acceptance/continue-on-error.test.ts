import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../../src/emulator/index.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { accountsTagged, readReport, taggedAccounts, useSeedCli, writeNdjson } from '../../helpers/bulk-seed.js';
import { useEmulator } from '../../helpers/emulator.js';
import { MISSING_ID } from '../../helpers/rows.js';

/**
 * Issue 13, "Done when": one bad row among a thousand, with --continue-on-error, leaves 999 rows
 * created and the one reported with its line and reason, exit 9. The bad row is one only the
 * service can refuse (its parent account does not exist), so it passes dvas's own checks and sinks
 * the CreateMultiple it travels in: dvas must isolate it and create the rest.
 */
describe('dvas create --file --continue-on-error: one bad row among 1,000', () => {
  const emulator = useEmulator();
  const cli = useSeedCli(emulator);

  it('creates the other 999, reports the bad one by its line with the service\'s code and message, exit 9', async () => {
    const tag = `E${randomUUID().slice(0, 8)}`;
    const BAD = 617;
    const rows = taggedAccounts(tag, 1000, (n) => (n === BAD ? { 'parentaccountid@odata.bind': `accounts(${MISSING_ID})` } : {}));
    const workspace = cli.workspace();
    const file = writeNdjson(workspace.path('rows.ndjson'), rows);
    const report = workspace.path('report.ndjson');
    const run = await cli.run(workspace, DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--report', report, '--continue-on-error', '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.PartialFailure);

    const stored = accountsTagged(emulator(), tag).map((row) => String(row.accountnumber));
    expect(stored).toHaveLength(999);
    expect(new Set(stored).size).toBe(999);
    expect(stored).not.toContain(`${tag}-${BAD}`);

    const parsed = readReport(report);
    expect(parsed.invalid).toEqual([]);
    const failed = [...parsed.finals.values()].filter((line) => line.status !== 'created');
    expect(failed).toEqual([
      { position: BAD, id: expect.any(String), user: null, status: 'failed', code: '0x80040217', message: expect.stringContaining(`With Id = ${MISSING_ID} Does Not Exist`) },
    ]);
    expect(parsed.finals.size).toBe(1000);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 1000, created: 999, failed: 1 });
  }, 60_000);
});
