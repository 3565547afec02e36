import { describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { accountsNdjson, accountsStartingWith, dvasSkippingWaits, reportLines, useWorkDir } from './bulk-helpers.js';

const workDir = useWorkDir();
const CREATE_MULTIPLE = '/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.CreateMultiple';

/** The caller headers of a logged request (none for the signed-in identity). */
const callerOf = (headers: Readonly<Record<string, string>>) => headers.callerobjectid ?? headers.mscrmcallerid ?? null;

describe('bulk create against the demo organisation', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);

  it('many users in one file: grouped by user, each request carries one caller header, each row created as its user', async () => {
    const dir = workDir();
    const users = [DEMO.sam, DEMO.devon, undefined];
    const file = dir.file('users.ndjson', accountsNdjson('Grouped', 12, (index) => (users[index % 3] ? { '@as': users[index % 3] } : {})));
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--batch-size', '2', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const sam = user(emulator(), DEMO.sam);
    const devon = user(emulator(), DEMO.devon);
    const app = emulator().users.find((candidate) => candidate.applicationid === DEMO_APP.clientId);
    const expected = new Map([
      [DEMO.sam, sam.systemuserid],
      [DEMO.devon, devon.systemuserid],
    ]);
    for (const row of accountsStartingWith(emulator(), 'Grouped ')) {
      const index = Number(String(row.name).split(' ')[1]);
      const as = users[index % 3];
      expect(row.createdby, String(row.name)).toMatchObject({ id: as ? expected.get(as) : app?.systemuserid });
    }
    const writes = emulator().requestLog.entries.slice(before).filter((entry) => entry.target === CREATE_MULTIPLE);
    const callers = new Set(writes.map((entry) => callerOf(entry.headers)));
    expect(callers).toEqual(new Set([sam.azureactivedirectoryobjectid, devon.azureactivedirectoryobjectid, null]));
    for (const entry of writes) {
      const targets = (JSON.parse(entry.body) as { Targets: Array<{ name: string }> }).Targets;
      const rowUsers = new Set(targets.map((target) => users[Number(target.name.split(' ')[1]) % 3] ?? null));
      // One user per request: the one whose caller header it carries.
      expect(rowUsers.size).toBe(1);
    }
    // Each --as user's first request is a single row (read back before the rest).
    for (const user of [sam, devon]) {
      const first = writes.find((entry) => callerOf(entry.headers) === user.azureactivedirectoryobjectid);
      expect((JSON.parse(first?.body ?? '{}') as { Targets: unknown[] }).Targets).toHaveLength(1);
    }
    expect(run.json()).toMatchObject({ rows: 12, created: 12, users: expect.arrayContaining([expect.objectContaining({ user: DEMO.sam, rows: 4, created: 4 })]) });
  });

  it('a user without the create privilege: explained once, every row of theirs failed, the others created (--continue-on-error), exit 9', async () => {
    const dir = workDir();
    const file = dir.file('mixed.ndjson', accountsNdjson('Denied mix', 6, (index) => ({ '@as': index % 2 ? DEMO.riley : DEMO.sam })));
    const report = dir.path('report.ndjson');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--continue-on-error', '--report', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.PartialFailure);
    expect(run.stderr.match(/None of this user's rows can be created/g)).toHaveLength(1);
    expect(accountsStartingWith(emulator(), 'Denied mix ').map((row) => row.name).sort()).toEqual(['Denied mix 2', 'Denied mix 4', 'Denied mix 6']);
    const failed = reportLines(report).filter((line) => line.status === 'failed');
    expect(failed.map((line) => line.position).sort()).toEqual([1, 3, 5]);
    for (const line of failed) expect(line).toMatchObject({ user: DEMO.riley, code: '0x80040220' });
    expect(run.json()).toMatchObject({ created: 3, failed: 3 });
  });

  it('one bad row among many: bisected out, the rest created with --continue-on-error; without it the run stops, exit 9 both ways', async () => {
    const dir = workDir();
    // A name longer than the column takes passes the file check and fails on the service alone.
    const file = dir.file('one-bad.ndjson', accountsNdjson('Bisect', 20, (index) => (index === 13 ? { name: `Bisect ${'x'.repeat(200)}` } : {})));
    const report = dir.path('report.ndjson');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--batch-size', '8', '--continue-on-error', '--report', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.PartialFailure);
    expect(accountsStartingWith(emulator(), 'Bisect ').filter((row) => String(row.name).length < 20)).toHaveLength(19);
    const failed = reportLines(report).filter((line) => line.status === 'failed');
    expect(failed).toEqual([expect.objectContaining({ position: 13, code: '0x80044331' })]);

    const stopFile = dir.file('stop.ndjson', accountsNdjson('Stopping', 30, (index) => (index === 1 ? { name: `Stopping ${'x'.repeat(200)}` } : {})));
    const stopped = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', stopFile, '--batch-size', '5', '--concurrency', '1', '-o', 'json']);
    expect(stopped.code, stopped.stderr).toBe(ExitCode.PartialFailure);
    const summary = stopped.json() as { failed: number; created: number; notSent: number };
    expect(summary.failed).toBe(1);
    expect(summary.notSent).toBeGreaterThan(0);
    expect(summary.created + summary.failed + summary.notSent).toBe(30);
  });

  it('--shard K/N: N jobs create every row once between them', async () => {
    const dir = workDir();
    const file = dir.file('sharded.ndjson', accountsNdjson('Sharded', 10));
    const runs = await Promise.all([1, 2, 3].map((k) => dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--shard', `${k}/3`, '-o', 'json'])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(runs.map((run) => (run.json() as { rows: number }).rows)).toEqual([4, 3, 3]);
    const names = accountsStartingWith(emulator(), 'Sharded ').map((row) => row.name);
    expect(names.sort()).toEqual(Array.from({ length: 10 }, (_, index) => `Sharded ${index + 1}`).sort());
  });

  it('--dry-run: the plan and each user’s first request with its caller header; nothing written', async () => {
    const dir = workDir();
    const file = dir.file('plan.ndjson', accountsNdjson('Planned', 5, (index) => (index > 2 ? { '@as': DEMO.sam } : {})));
    const report = dir.path('never.ndjson');
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--dry-run', '--batch-size', '2', '--report', report]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Plan: 5 rows into accounts as 2 users, batches of 2, concurrency 4 \(the service's hint\)\.$/m);
    expect(run.stdout).toContain(`  ${DEMO.sam}: 3 rows, 2 requests (the first of one row, read back)`);
    expect(run.stdout).toContain('  the signed-in identity: 2 rows, 1 request');
    expect(run.stdout).toContain(`CallerObjectId: ${user(emulator(), DEMO.sam).azureactivedirectoryobjectid}`);
    expect(run.stdout.match(/^POST .*\/accounts\/Microsoft\.Dynamics\.CRM\.CreateMultiple$/gm)).toHaveLength(2);
    expect(emulator().requestLog.entries.slice(before).filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(accountsStartingWith(emulator(), 'Planned')).toEqual([]);
  });

  it('rows that give their own key: created once; a second run finds them there ("existed"), exit 0', async () => {
    const dir = workDir();
    const ids = ['5d1a7e3c-0b8f-4c2a-9e61-7f0d3b2a1c45', '0e8b6a2d-4c1f-4b7e-8a95-2d3c4b5a6f70'];
    const file = dir.file('keyed.ndjson', ids.map((id, index) => `${JSON.stringify({ accountid: id, name: `Keyed ${index + 1}` })}\n`).join(''));
    const first = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '-o', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const again = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ created: 0, existed: 2 });
    expect(accountsStartingWith(emulator(), 'Keyed ')).toHaveLength(2);
  });
});

describe('bulk create under faults', () => {
  const emulator = useEmulator();
  const dvas = dvasSkippingWaits(emulator);

  it.each([13, 21, 34])('429s, 503s, connections dropped before and after the commit (seed %i): every row exactly once, every row reported', async (seed) => {
    const dir = workDir();
    const file = dir.file('faulty.ndjson', accountsNdjson(`Faulty ${seed}`, 80));
    const report = dir.path('report.ndjson');
    emulator().setFaults(`throttle=0.15,unavailable=0.1,dropBefore=0.1,dropAfter=0.15,retryAfter=0,seed=${seed}`);
    let run;
    try {
      run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--batch-size', '4', '--report', report, '-o', 'json']);
    } finally {
      emulator().setFaults(undefined);
    }
    expect(run.code, run.stderr).toBe(0);
    const names = accountsStartingWith(emulator(), `Faulty ${seed} `).map((row) => row.name);
    expect(names.length).toBe(80);
    expect(new Set(names).size).toBe(80);
    const outcomes = reportLines(report).filter((line) => 'status' in line);
    expect(new Set(outcomes.map((line) => line.position)).size).toBe(80);
    expect(outcomes.every((line) => line.status === 'created')).toBe(true);
    expect(emulator().stats.faultsInjected.dropAfter).toBeGreaterThan(0);
  }, 60_000);
});

describe('bulk create without CreateMultiple, and when impersonation is not applied', () => {
  const SEED: SeedDocument = {
    ...demoSeedWith(IVY),
    roles: [...(demoSeedWith(IVY).roles ?? []), { name: 'Gadget Maker', privileges: { prvCreatenew_gadget: 'Global', prvReadnew_gadget: 'Global' } }],
    users: (demoSeedWith(IVY).users ?? []).map((seedUser) => (seedUser.application?.clientId === DEMO_APP.clientId ? { ...seedUser, roles: [...(seedUser.roles ?? []), 'Gadget Maker'] } : seedUser)),
    tables: [{ logicalName: 'new_gadget', supportsCreateMultiple: false, columns: [{ name: 'new_name', type: 'String', maxLength: 100 }] }],
  };
  const emulator = useEmulator({ seed: SEED, unknownCaller: 'ignore' });
  const dvas = dvasAgainst(emulator);

  it('a table without CreateMultiple falls back to single creates, with the same report', async () => {
    const dir = workDir();
    const file = dir.file('gadgets.ndjson', Array.from({ length: 5 }, (_, index) => `${JSON.stringify({ new_name: `Gadget ${index + 1}` })}\n`).join(''));
    const report = dir.path('report.ndjson');
    const before = emulator().requestLog.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'new_gadget', '--file', file, '--report', report, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('does not take CreateMultiple; sending its rows one by one instead.');
    expect([...emulator().core.store.rows('new_gadget').values()].map((row) => row.new_name).sort()).toEqual(['Gadget 1', 'Gadget 2', 'Gadget 3', 'Gadget 4', 'Gadget 5']);
    const posts = emulator().requestLog.entries.slice(before).filter((entry) => entry.method === 'POST');
    expect(posts.filter((entry) => entry.target.endsWith('/new_gadgets')).length).toBe(5);
    expect(reportLines(report).filter((line) => line.status === 'created')).toHaveLength(5);
  });

  it('a user whose caller header the service ignores: the first row is read back, the run stops there, exit 8, naming the row', async () => {
    const dir = workDir();
    const file = dir.file('ignored.ndjson', accountsNdjson('Ignored as', 6));
    const run = await dvas(IVY.email, ['create', 'accounts', '--file', file, '--as', `aad:${NOBODY_ID}`]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    const created = accountsStartingWith(emulator(), 'Ignored as ');
    expect(created).toHaveLength(1);
    expect(run.stderr).toContain(`Dataverse created accounts(${String(created[0]?.accountid)}) (line 1) as the signed-in identity`);
  });
});
