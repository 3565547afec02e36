import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../../src/emulator/index.js';
import { expectExactlyTheInput, readReport, statusLinesSoFar, taggedAccounts, useSeedCli, writeNdjson } from '../../helpers/bulk-seed.js';
import { useEmulator } from '../../helpers/emulator.js';
import { until } from '../../helpers/until.js';

/**
 * Issue 13, "Done when": the dvas process killed with SIGKILL mid-run, then `--resume REPORT`,
 * leaves exactly the input rows, each accounted for in the report. The kill moment is taken from
 * several points of the run by watching the report grow (its status lines), never by sleeping.
 *
 * The emulator holds each request 15 ms (`latency`), and dvas sends 10-row batches two at a time,
 * so that a 300-row run lasts long enough for the test to see each point before it ends; requests
 * in flight at the kill are still carried out by the emulator afterwards, as the service would.
 */
describe('dvas create --file killed with SIGKILL, then --resume: exactly the input rows', () => {
  const emulator = useEmulator({ faults: 'latency=15ms' });
  const cli = useSeedCli(emulator);
  const ROWS = 300;

  it.each([
    { point: 'the first batch on the wire, nothing confirmed', statusLines: 0 },
    { point: 'a few batches confirmed', statusLines: 30 },
    { point: 'most of the run confirmed', statusLines: 150 },
  ])('killed once $point ($statusLines status lines)', async ({ statusLines }) => {
    const tag = `K${randomUUID().slice(0, 8)}`;
    const workspace = cli.workspace();
    const file = writeNdjson(workspace.path('rows.ndjson'), taggedAccounts(tag, ROWS));
    const report = workspace.path('report.ndjson');
    const seeding = cli.start(workspace, DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--report', report, '--batch-size', '10', '--concurrency', '2', '-o', 'json']);
    const reached = () =>
      statusLines === 0 ? readSending(report) > 0 : statusLinesSoFar(report) >= statusLines;
    const ended = () => seeding.child.exitCode !== null || seeding.child.signalCode !== null;
    await until(() => ended() || reached(), `${statusLines} status lines in the report`, 20_000);
    expect(ended(), `dvas ended before the kill point: ${seeding.stderr()}`).toBe(false);
    seeding.child.kill('SIGKILL');
    expect((await seeding.exited).signal).toBe('SIGKILL');
    const atKill = readReport(report);
    expect(atKill.finals.size, 'the kill came mid-run').toBeLessThan(ROWS);

    const resumed = await cli.run(workspace, DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--resume', report, '-o', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = readReport(report);
    // SIGKILL may cut the last line short mid-write; nothing else may be torn.
    expect(final.torn.length).toBeLessThanOrEqual(1);
    expectExactlyTheInput(emulator(), tag, ROWS, final);
    // Rows confirmed before the kill keep their ids: the resumed run did not make them again.
    for (const [position, line] of atKill.finals) expect(final.finals.get(position)?.id).toBe(line.id);
  }, 60_000);
});

/** How many `sending` lines the report holds so far. */
function readSending(report: string): number {
  try {
    return readReport(report).sending.length;
  } catch {
    return 0;
  }
}
