import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, type RunningEmulator } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import { createRowAs, MISSING_ID } from '../helpers/rows.js';
import { until } from '../helpers/until.js';

const account = (emulator: () => RunningEmulator, id: string) => emulator().core.store.rows('account').get(id);

describe('dvas update', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  /** A config directory where the accounts table is already known, so the PATCH is the first request. */
  async function warmConfigDir(): Promise<Record<string, string>> {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    expect((await dvas(DEMO_APP.clientId, ['get', 'accounts', '--top', '1'], { env })).code).toBe(0);
    return env;
  }

  it('as the signed-in identity: PATCH with If-Match: *, the row changed, its id printed', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Before' });
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '-o', 'json', '--verbose', '--data', '{"name":"After","telephone1":"555-0101"}']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ id });
    expect(account(emulator, id)).toMatchObject({ name: 'After', telephone1: '555-0101' });
    const patch = loggedRequests(run.stderr).find((request) => request.line.startsWith('PATCH'));
    expect(patch?.line).toBe(`PATCH accounts(${id})`);
    expect(patch?.headers['if-match']).toBe('*');
    expect(run.stderr).toContain(`✓ Updated accounts(${id}).\n`);
  });

  it('takes the logical name, braces and upper case in the GUID, and the changes from stdin', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Stdin before' });
    const run = await dvas(DEMO_APP.clientId, ['update', 'account', `{${id.toUpperCase()}}`, '-'], { stdin: '{"name":"Stdin after"}' });
    expect(run.code, run.stderr).toBe(0);
    expect(account(emulator, id)).toMatchObject({ name: 'Stdin after' });
  });

  it('a missing row: exit 6, and no row is created', async () => {
    const before = emulator().core.store.rows('account').size;
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', MISSING_ID, '--data', '{"name":"Never"}']);
    expect(run.code).toBe(ExitCode.NotFound);
    expect(run.stderr).toMatch(/^error: Entity 'account' With Id = 0f0f0f0f-0000-4000-8000-00000000beef Does Not Exist\. \[0x80040217\]\n/);
    expect(emulator().core.store.rows('account').size).toBe(before);
    expect(account(emulator, MISSING_ID)).toBeUndefined();
  });

  it('--upsert creates the missing row (no If-Match), and updates an existing one', async () => {
    const UPSERTED_ID = '0f0f0f0f-0000-4000-8000-00000000ab02';
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', UPSERTED_ID, '--upsert', '--verbose', '--data', '{"name":"Upserted"}']);
    expect(run.code, run.stderr).toBe(0);
    expect(account(emulator, UPSERTED_ID)).toMatchObject({ name: 'Upserted' });
    expect(loggedRequests(run.stderr).find((request) => request.line.startsWith('PATCH'))?.headers['if-match']).toBeUndefined();
    const again = await dvas(DEMO_APP.clientId, ['update', 'accounts', UPSERTED_ID, '--upsert', '--return', '-o', 'json', '--data', '{"name":"Upserted twice"}']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ id: UPSERTED_ID, record: { name: 'Upserted twice' } });
  });

  it('--if-match: the current version updates; a version someone changed since is exit 11, its own error, and changes nothing', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Versioned' });
    const version = String(account(emulator, id)?.versionnumber);
    const ok = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--if-match', `W/"${version}"`, '--data', '{"name":"Versioned 2"}']);
    expect(ok.code, ok.stderr).toBe(0);
    const stale = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--if-match', version, '--data', '{"name":"Lost update"}']);
    expect(stale.code).toBe(ExitCode.Conflict);
    expect(stale.stderr).toMatch(/^error: The version of the existing record doesn't match the RowVersion property provided\. \[0x80060882\]\nhint: Someone changed the row since that version was read/);
    expect(account(emulator, id)).toMatchObject({ name: 'Versioned 2' });
  });

  it('--return prints the row after the change; a table shows it readable', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Return me' });
    const json = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--return', '-o', 'json', '--data', '{"telephone1":"555-0199"}']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toMatchObject({ id, record: { accountid: id, name: 'Return me', telephone1: '555-0199' } });
    const table = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--return', '-o', 'table', '--data', '{"telephone1":"555-0198"}']);
    expect(table.stdout).toMatch(/^id\t[0-9a-f-]{36}\n/);
    expect(table.stdout).toContain('\nstatecode\tActive\n');
  });

  describe('bad input: exit 2 and nothing sent', () => {
    it.each([
      ['no changes', [], undefined, /^error: No changes to make\./],
      ['invalid JSON', ['--data', '{"name":'], undefined, /^error: The row in --data is not valid JSON: /],
      ['an array', ['--data', '[]'], undefined, /^error: The row in --data must be one JSON object, not an array\.\nhint: dvas update takes the columns to change/],
      ['two sources', ['--data', '{}', '-'], '{}', /^error: Give the row one way only/],
      ['--upsert with --if-match', ['--upsert', '--if-match', '1', '--data', '{}'], undefined, /^error: --upsert and --if-match contradict each other/],
      ['a malformed ETag', ['--if-match', 'W/"1" x', '--data', '{}'], undefined, /^error: --if-match takes the row's @odata.etag, such as W\/"12345"/],
      ['an extra argument', ['row.json', '--data', '{}'], undefined, /^error: Unexpected argument "row\.json"/],
    ])('%s', async (_label, args, stdin, message) => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', MISSING_ID, ...args], stdin === undefined ? {} : { stdin });
      expect(run.code, run.stderr).toBe(ExitCode.Usage);
      expect(run.stderr).toMatch(message);
      expect(emulator().stats.requests).toBe(before);
    });

    it('a column Dataverse does not know: its 400 is exit 2', async () => {
      const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Unknown column' });
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--data', '{"nosuchcolumn":1}']);
      expect(run.code).toBe(ExitCode.Usage);
    });
  });

  it('--dry-run prints the PATCH with If-Match, the caller header and the body, and sends only the --as check', async () => {
    const env = await warmConfigDir();
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Dry' });
    const sam = user(emulator(), DEMO.sam);
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--dry-run', '--as', sam.systemuserid, '--data', '{"name":"Wet"}'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^PATCH \\S+/api/data/v9\\.2/accounts\\(${id}\\)\\n`));
    expect(run.stdout).toContain('\nIf-Match: *\n');
    expect(run.stdout).toContain(`\nMSCRMCallerID: ${sam.systemuserid}\n`);
    expect(run.stdout).toMatch(/\n\n\{"name":"Wet"\}\n$/);
    expect(sent()).toEqual([expect.stringMatching(new RegExp(`^GET /api/data/v9\\.2/systemusers\\(${sam.systemuserid}\\)\\?`))]);
    expect(account(emulator, id)).toMatchObject({ name: 'Dry' });
  });

  describe('under --as: modifiedby / modifiedonbehalfby read back and printed', () => {
    it.each<[string, () => string, string, string]>([
      ['an email', () => DEMO.sam, DEMO.sam, 'Sam Sales'],
      ['a systemuserid', () => user(emulator(), DEMO.sam).systemuserid, DEMO.sam, 'Sam Sales'],
      ['aad:<object id>', () => `aad:${String(user(emulator(), DEMO.sam).azureactivedirectoryobjectid)}`, DEMO.sam, 'Sam Sales'],
      ['DOMAIN\\user (MSCRMCallerID)', () => 'CONTOSO\\owen', DEMO.owen, 'Owen OnPrem'],
    ])('%s', async (_label, asValue, owner, name) => {
      const id = await createRowAs(emulator(), owner, 'accounts', { name: `Owned by ${name}` });
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '-o', 'json', '--as', asValue(), '--data', '{"telephone1":"555-0142"}']);
      expect(run.code, run.stderr).toBe(0);
      const them = user(emulator(), owner);
      const app = user(emulator(), DEMO_APP.email);
      expect(run.json()).toEqual({ id, modifiedby: them.systemuserid, modifiedbyname: name, modifiedonbehalfby: app.systemuserid, modifiedonbehalfbyname: 'dvas demo app' });
      expect(account(emulator, id)).toMatchObject({ telephone1: '555-0142', modifiedby: { id: them.systemuserid }, modifiedonbehalfby: { id: app.systemuserid } });
      expect(run.stderr).toMatch(new RegExp(`✓ Updated accounts\\(${id}\\) as ${name}`));
    });

    it('a denial is explained, naming who lacks what (exit 5), and the row is unchanged', async () => {
      const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Not for Riley' });
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--as', DEMO.riley, '--data', '{"name":"Riley was here"}']);
      expect(run.code).toBe(ExitCode.PrivilegeDenied);
      expect(run.stderr).toMatch(/^error: Principal user .* is missing prvWriteAccount privilege .*\[0x80040220\]$/m);
      expect(run.stderr).toContain(
        'diagnosis: Riley Reader (riley.reader@contoso.com) lacks prvWriteAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.',
      );
      expect(account(emulator, id)).toMatchObject({ name: 'Not for Riley' });
    });

    it('a missing row: exit 6', async () => {
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', MISSING_ID, '--as', DEMO.sam, '--data', '{"name":"x"}']);
      expect(run.code, run.stderr).toBe(ExitCode.NotFound);
    });
  });

  describe('sent again only when the service certainly did not carry it out', () => {
    afterEach(() => emulator().setFaults(undefined));

    it('a connection dropped after the PATCH was carried out: sent again (If-Match: * cannot create), exit 0', async () => {
      const env = await warmConfigDir();
      const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Dropped' });
      emulator().setFaults('dropAfter=1');
      const before = emulator().stats.requests;
      const running = dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--data', '{"name":"Dropped, then sent again"}'], { env });
      await until(() => emulator().stats.requests !== before, 'the request to arrive');
      emulator().setFaults(undefined);
      const run = await running;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('dvas: connection failed');
      expect(emulator().stats.requests - before).toBe(2);
      expect(account(emulator, id)).toMatchObject({ name: 'Dropped, then sent again' });
    });

    it('--upsert (no If-Match) is not sent again after a dropped connection: exit 1, saying it may have been carried out', async () => {
      const env = await warmConfigDir();
      emulator().setFaults('dropAfter=1');
      const before = emulator().stats.requests;
      const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', '0f0f0f0f-0000-4000-8000-00000000ab01', '--upsert', '--data', '{"name":"Upsert dropped"}'], { env });
      emulator().setFaults(undefined);
      expect(run.code).toBe(ExitCode.Failure);
      expect(run.stderr).toContain('hint: The PATCH may have reached Dataverse before the connection failed');
      expect(emulator().stats.requests - before).toBe(1);
    });
  });
});

describe('dvas update: was the impersonation applied?', () => {
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('an id naming no user, which the service ignored: exit 8, naming the row changed as the signed-in identity', async () => {
    const ivy = user(emulator(), IVY.email);
    const id = await createRowAs(emulator(), IVY.email, 'accounts', { name: 'Ivy' });
    const run = await dvas(IVY.email, ['update', 'accounts', id, '--as', `aad:${NOBODY_ID}`, '--data', '{"name":"Not as intended"}']);
    expect(run.code).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toContain(
      `error: Dataverse updated accounts(${id}) as the signed-in identity (${ivy.systemuserid}), not as aad:${NOBODY_ID}: Dataverse did not apply the impersonation.`,
    );
    expect(run.stdout).toBe('');
  });
});
