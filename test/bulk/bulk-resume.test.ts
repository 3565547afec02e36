import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/commands/create/bulk/derived-id.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, useEmulator } from '../helpers/emulator.js';
import { useDvasProcesses } from '../helpers/emulator-process.js';
import { until } from '../helpers/until.js';
import { accountsNdjson, accountsStartingWith, reportLines, useWorkDir } from './bulk-helpers.js';

const workDir = useWorkDir();
const RUN_ID = '9b2f0c61-3a57-4d0e-9a43-52d6c1e0a7f1';

describe('--resume', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);

  it('skips rows the report has done, finds the rows that were in flight, sends the rest: each row once', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Resumed', 6));
    // The run that wrote this report was killed with rows 1-3 on the wire: 1 and 2 had been
    // committed, 3 had not; row 4 was done and reported.
    for (const position of [1, 2, 4]) {
      const response = await api(emulator(), 'POST', 'accounts', { body: { accountid: derivedId(RUN_ID, position), name: `Resumed ${position}` } });
      expect(response.status).toBe(204);
    }
    const header = { report: 'dvas-create', version: 1, runId: RUN_ID, table: 'account', entitySet: 'accounts', primaryId: 'accountid', positions: 'line', shard: null, input: file, startedAt: new Date().toISOString() };
    const report = dir.file(
      'report.ndjson',
      [header, { sending: [1, 2, 3] }, { sending: [4] }, { position: 4, id: derivedId(RUN_ID, 4), user: null, status: 'created' }].map((line) => `${JSON.stringify(line)}\n`).join(''),
    );
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--resume', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ rows: 6, skipped: 1, created: 5, failed: 0, notSent: 0, runId: RUN_ID });
    expect(accountsStartingWith(emulator(), 'Resumed ').map((row) => row.name).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Resumed ${n}`));
    const last = new Map(reportLines(report).filter((line) => 'status' in line).map((line) => [line.position, line.status]));
    expect([...last.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readFileSync(report, 'utf8').startsWith(JSON.stringify(header))).toBe(true);
  });

  it('a report of another table or shard is refused before anything is sent', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Wrong report', 2));
    const header = { report: 'dvas-create', version: 1, runId: RUN_ID, table: 'contact', entitySet: 'contacts', primaryId: 'contactid', positions: 'line', shard: null, input: file, startedAt: new Date().toISOString() };
    const report = dir.file('report.ndjson', `${JSON.stringify(header)}\n`);
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--resume', report]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('is of a run into contact, not account');
    writeFileSync(report, `${JSON.stringify({ ...header, table: 'account', shard: '1/2' })}\n`);
    const sharded = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--resume', report]);
    expect(sharded.code).toBe(ExitCode.Usage);
    expect(sharded.stderr).toContain('resume it with --shard 1/2');
    expect(accountsStartingWith(emulator(), 'Wrong report')).toEqual([]);
  });
});

describe('Ctrl+C', () => {
  const emulator = useEmulator({ faults: 'latency=100ms' });
  const newConfigDir = useTempConfigDir();
  const startDvas = useDvasProcesses();
  const dvas = dvasAgainst(emulator);

  it('stops sending, waits for the requests in flight, writes their lines, exit 130; --resume then finishes the job', async () => {
    const dir = workDir();
    const file = dir.file('rows.ndjson', accountsNdjson('Interrupted', 60));
    const report = dir.path('report.ndjson');
    const env = { ...process.env, NO_COLOR: '1', DVAS_URL: emulator().url, DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO_APP.clientId), DVAS_CONFIG_DIR: newConfigDir() };
    const started = startDvas(['create', 'accounts', '--file', file, '--batch-size', '2', '--concurrency', '2', '--report', report], env);
    await until(() => existsSync(report) && readFileSync(report, 'utf8').includes('"status":"created"'), 'the first created row in the report', 20_000);
    started.child.kill('SIGINT');
    const { code } = await started.exited;
    expect(code, started.stderr()).toBe(ExitCode.Interrupted);
    expect(started.stderr()).toContain('stopping: waiting for the requests in flight');
    expect(started.stderr()).toMatch(/^Created \d+ of 60 rows in accounts/m);
    const lines = reportLines(report);
    const sent = new Set(lines.flatMap((line) => (Array.isArray(line.sending) ? (line.sending as number[]) : [])));
    const created = lines.filter((line) => line.status === 'created');
    // Every created row was journalled before it left; every request that left was answered and
    // reported before the exit, so the emulator holds exactly the rows reported created.
    for (const line of created) expect(sent.has(Number(line.position))).toBe(true);
    expect(accountsStartingWith(emulator(), 'Interrupted ').map((row) => row.accountid).sort()).toEqual(created.map((line) => line.id).sort());
    expect(created.length).toBeLessThan(60);

    const resumed = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--resume', report, '-o', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json()).toMatchObject({ rows: 60, skipped: created.length, created: 60 - created.length });
    const names = accountsStartingWith(emulator(), 'Interrupted ').map((row) => row.name);
    expect(new Set(names).size).toBe(60);
    expect(names).toHaveLength(60);
  }, 60_000);
});
