import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, type RunningEmulator } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { TestClock } from '../helpers/test-clock.js';
import { until } from '../helpers/until.js';

const accountsNamed = (emulator: () => RunningEmulator, name: string) => [...emulator().core.store.rows('account').values()].filter((row) => row.name === name);

describe('dvas create', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  it('--data: creates the row and prints its id (-o json has id)', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--data', '{"name":"Created with --data","telephone1":"555-0100"}']);
    expect(run.code, run.stderr).toBe(0);
    const { id } = run.json() as { id: string };
    expect(run.json()).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(emulator().core.store.rows('account').get(id)).toMatchObject({ name: 'Created with --data', telephone1: '555-0100' });
    expect(run.stderr).toBe(`✓ Created accounts(${id}).\n`);
  });

  it('takes the logical name as well as the entity set name', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'contact', '-o', 'json', '--data', '{"lastname":"By logical name"}']);
    expect(run.code, run.stderr).toBe(0);
    expect(emulator().core.store.rows('contact').get((run.json() as { id: string }).id)).toMatchObject({ lastname: 'By logical name' });
  });

  it('an unknown table: exit 6', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'nosuchtable', '--data', '{}']);
    expect(run.code).toBe(ExitCode.NotFound);
  });

  it('--file <path>', async () => {
    const file = join(dirname(newConfigDir()), 'row.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"name":"Created from a file"}');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--file', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(accountsNamed(emulator, 'Created from a file')).toHaveLength(1);
  });

  it.each([
    ['-', ['-']],
    ['--file -', ['--file', '-']],
  ])('%s reads the row from stdin', async (label, args) => {
    const name = `Created from stdin (${label})`;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', ...args], { stdin: JSON.stringify({ name }) });
    expect(run.code, run.stderr).toBe(0);
    expect(accountsNamed(emulator, name)).toHaveLength(1);
  });

  it('--return prints the row as the service returned it, and the id from it', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--return', '--data', '{"name":"Returned"}']);
    expect(run.code, run.stderr).toBe(0);
    const view = run.json() as { id: string; record: Record<string, unknown> };
    expect(view.record).toMatchObject({ accountid: view.id, name: 'Returned' });
  });

  it('a table on a terminal: the id line (and the returned columns with --return)', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--return', '--data', '{"name":"On a terminal"}'], { tty: { stdout: true } });
    expect(run.stdout).toMatch(/^id\s+[0-9a-f-]{36}\n/);
    expect(run.stdout).toMatch(/\nname\s+On a terminal\n/);
    expect(run.stdout).not.toContain('@odata');
  });

  it('--return as a table shows the row as `get` does: non-empty columns, lookups by name, options by label', async () => {
    const run = await dvas(DEMO.sam, ['create', 'accounts', '--return', '-o', 'table', '--data', '{"name":"Readable"}']);
    expect(run.code, run.stderr).toBe(0);
    const lines = new Map(run.stdout.trimEnd().split('\n').map((line) => line.split('\t') as [string, string]));
    expect(lines.get('name')).toBe('Readable');
    expect(lines.get('ownerid')).toBe('Sam Sales');
    expect(lines.get('statecode')).toBe('Active');
    expect([...lines.keys()].filter((header) => /^_.+_value$/.test(header))).toEqual([]);
    expect([...lines.values()].filter((value) => value === '' || value === undefined)).toEqual([]);
  });

  describe('input that is not one row: exit 2 and nothing sent', () => {
    it.each([
      ['invalid JSON in --data', ['--data', '{"name":'], undefined, /^error: The row in --data is not valid JSON: /],
      ['null', ['--data', 'null'], undefined, /^error: The row in --data must be one JSON object, not null\./],
      ['a string from stdin', ['-'], '"just text"', /^error: The row in stdin must be one JSON object, not a string\./],
      ['invalid JSON from stdin', ['-'], 'name=x', /^error: The row in stdin is not valid JSON: /],
      ['an unreadable file', ['--file', '/nonexistent/row.json'], undefined, /^error: Cannot read the file "\/nonexistent\/row\.json" \(ENOENT\)\./],
      ['no row at all', [], undefined, /^error: No row to create\.\nhint: Give the row as --data/],
      ['two ways at once', ['--data', '{}', '-'], '{}', /^error: Give the row one way only: --data, --file or -\./],
      ['an argument other than -', ['row.json'], undefined, /^error: Unexpected argument "row\.json": only - \(read the row from stdin\) may follow the table\./],
    ])('%s', async (_, args, stdin, message) => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', ...args], stdin === undefined ? {} : { stdin });
      expect(run.code).toBe(ExitCode.Usage);
      expect(run.stderr).toMatch(message);
      expect(emulator().stats.requests).toBe(before);
    });

    it('also under --as: the row is checked before the user is looked up', async () => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.sam, '--data', 'nope']);
      expect(run.code).toBe(ExitCode.Usage);
      expect(emulator().stats.requests).toBe(before);
    });
  });

  describe('under --as', () => {
    it('reads back createdby / createdonbehalfby and prints them (-o json)', async () => {
      const sam = user(emulator(), DEMO.sam);
      const app = user(emulator(), DEMO_APP.email);
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--as', DEMO.sam, '--data', '{"name":"Sam\'s account"}']);
      expect(run.code, run.stderr).toBe(0);
      const view = run.json() as { id: string };
      expect(view).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        createdby: sam.systemuserid,
        createdbyname: 'Sam Sales',
        createdonbehalfby: app.systemuserid,
        createdonbehalfbyname: 'dvas demo app',
      });
      expect(emulator().core.store.rows('account').get(view.id)).toMatchObject({ name: "Sam's account" });
      expect(run.stderr).toBe(`✓ Created accounts(${view.id}) as Sam Sales (sam.sales@contoso.com).\n`);
    });

    it('an on-premises user goes out as MSCRMCallerID, and is the creator', async () => {
      const owen = user(emulator(), DEMO.owen);
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--verbose', '--as', 'CONTOSO\\owen', '--data', '{"name":"Owen\'s account"}']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json()).toMatchObject({ createdby: owen.systemuserid, createdbyname: 'Owen OnPrem' });
      const post = loggedRequests(run.stderr).find((request) => request.line === 'POST accounts');
      expect(post?.headers).toMatchObject({ mscrmcallerid: owen.systemuserid });
    });

    it('a table on a terminal shows who created the row on whose behalf', async () => {
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"x"}'], { tty: { stdout: true } });
      expect(run.stdout).toMatch(/\ncreatedby\s+Sam Sales\n/);
      expect(run.stdout).toMatch(/\ncreatedonbehalfby\s+dvas demo app\n/);
    });

    it('--dry-run with a systemuserid checks the user, prints the POST with its header and body once the table is known, and creates nothing', async () => {
      const configDir = newConfigDir();
      const env = { DVAS_CONFIG_DIR: configDir };
      // A first real run remembers the table, so the dry run has no lookup to show first.
      expect((await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '{"name":"warm-up"}'], { env })).code).toBe(0);
      const sam = user(emulator(), DEMO.sam);
      const sent = requestsFrom(emulator());
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--dry-run', '--as', sam.systemuserid, '--data', '{"name":"Dry"}'], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^POST \S+\/api\/data\/v9\.2\/accounts\n/);
      expect(run.stdout).toContain(`\nMSCRMCallerID: ${sam.systemuserid}\n`);
      expect(run.stdout).toMatch(/\n\n\{"name":"Dry","accountid":"[0-9a-f-]{36}"\}\n$/);
      expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${sam.systemuserid}\\)\\?`))]);
      expect(accountsNamed(emulator, 'Dry')).toHaveLength(0);
    });
  });

  describe('exactly once: the row gets its id before it is sent, and after an ambiguous failure dvas looks before sending again', () => {
    afterEach(() => emulator().setFaults(undefined));

    /** A config directory where the accounts table is already known, so the POST is the only request. */
    async function warmConfigDir(): Promise<Record<string, string>> {
      const env = { DVAS_CONFIG_DIR: newConfigDir() };
      expect((await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '{"name":"warm-up"}'], { env })).code).toBe(0);
      return env;
    }

    /** Runs the create with `faults` on until the first of them has been injected, then without. */
    async function createThrough(faults: string, injected: () => number, name: string) {
      const env = await warmConfigDir();
      emulator().setFaults(faults);
      const running = dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--data', JSON.stringify({ name })], { env });
      await until(() => injected() > 0, 'the fault to be injected');
      emulator().setFaults(undefined);
      return running;
    }

    it('a connection dropped after the row was committed: exit 0, the id printed, and exactly one row', async () => {
      const run = await createThrough('dropAfter=1', () => emulator().stats.faultsInjected.dropAfter, 'Dropped after commit');
      expect(run.code, run.stderr).toBe(0);
      const rows = accountsNamed(emulator, 'Dropped after commit');
      expect(rows).toHaveLength(1);
      expect(run.json()).toEqual({ id: rows[0]?.accountid });
      expect(run.stderr).toMatch(/Looking for accounts\([0-9a-f-]{36}\) to see whether it was created\./);
      expect(run.stderr).not.toContain('may or may not');
    });

    it('a connection dropped before the request was carried out: sent again, exactly one row', async () => {
      const run = await createThrough('dropBefore=1', () => emulator().stats.faultsInjected.dropBefore, 'Dropped before commit');
      expect(run.code, run.stderr).toBe(0);
      const rows = accountsNamed(emulator, 'Dropped before commit');
      expect(rows).toHaveLength(1);
      expect(run.json()).toEqual({ id: rows[0]?.accountid });
    });

    it('a 503 on the create: looked for, sent again, exactly one row (no "may or may not")', async () => {
      const run = await createThrough('unavailable=1', () => emulator().stats.faultsInjected.unavailable, 'Unavailable');
      expect(run.code, run.stderr).toBe(0);
      expect(accountsNamed(emulator, 'Unavailable')).toHaveLength(1);
      expect(run.stderr).not.toContain('may or may not');
    });

    it('the id goes out in the body, so a second send can never make a second row', async () => {
      const env = await warmConfigDir();
      const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--verbose', '--data', '{"name":"Keyed"}'], { env });
      expect(run.code, run.stderr).toBe(0);
      const { id } = run.json() as { id: string };
      expect(emulator().core.store.rows('account').get(id)).toMatchObject({ name: 'Keyed' });
    });

    it('a row naming its own id keeps it; a taken one is the service\'s 412, exit 1, nothing created', async () => {
      const id = '6a1f0b52-3c1e-4a55-9d2e-0a0b0c0d0e01';
      const first = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--data', JSON.stringify({ accountid: id, name: 'Own id' })]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.json()).toEqual({ id });
      const again = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', JSON.stringify({ accountid: id, name: 'Own id' })]);
      expect(again.code).toBe(ExitCode.Failure);
      expect(again.stderr).toContain('A record with matching key values already exists.');
      expect(accountsNamed(emulator, 'Own id')).toHaveLength(1);
    });

    it('a 429 is waited out and sent again: one row', async () => {
      const env = await warmConfigDir();
      emulator().setFaults('throttle=1,retryAfter=30');
      const clock = new TestClock();
      const running = dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', '{"name":"Throttled once"}'], { env, dependencies: { clock } });
      // The first attempt is throttled and dvas waits out Retry-After on its clock; then the retry goes through.
      await clock.sleeping(1);
      expect(emulator().stats.faultsInjected.throttle).toBeGreaterThan(0);
      emulator().setFaults(undefined);
      await clock.advanceToNextWait();
      const run = await running;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('dvas: throttled by Dataverse (429), waiting');
      expect(accountsNamed(emulator, 'Throttled once')).toHaveLength(1);
    });
  });
});

describe('dvas create: was the impersonation applied?', () => {
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('an id naming no user, which the service ignored: exit 8, naming the row created as the signed-in identity', async () => {
    const ivy = user(emulator(), IVY.email);
    const run = await dvas(IVY.email, ['create', 'accounts', '--as', `aad:${NOBODY_ID}`, '--data', '{"name":"Not as intended"}']);
    expect(run.code).toBe(ExitCode.ImpersonationNotApplied);
    const [created] = accountsNamed(emulator, 'Not as intended');
    expect(created).toMatchObject({ createdby: { id: ivy.systemuserid } });
    expect(run.stderr).toContain(
      `error: Dataverse created accounts(${String(created?.accountid)}) as the signed-in identity (${ivy.systemuserid}), not as aad:${NOBODY_ID}: ` +
        'Dataverse did not apply the impersonation.',
    );
    expect(run.stdout).toBe('');
  });
});
