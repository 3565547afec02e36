import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * `dvas get <table> --fetchxml FILE|-` against a real emulator over HTTP (issue 10): a FetchXML
 * query as another user, `--all` following the paging cookies the way Microsoft's page-results
 * sample does, and the outputs of `get`.
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const folder = mkdtempSync(join(tmpdir(), 'dvas-fetchxml-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fetchFile(name: string, xml: string): string {
  const path = join(folder, name);
  writeFileSync(path, xml);
  return path;
}

type Row = Record<string, unknown>;

const CONTACTS_AND_COMPANIES = `<?xml version="1.0"?>
<!-- as FetchXML Builder writes it -->
<fetch>
  <entity name='contact'>
    <attribute name='fullname'/>
    <link-entity name='account' from='accountid' to='parentcustomerid' alias='company'>
      <attribute name='name'/>
    </link-entity>
    <order attribute='fullname'/>
  </entity>
</fetch>`;

const ACCOUNT_NAMES = `<fetch count='3'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`;

const ALL_ACCOUNTS = [
  'Adventure Works', 'Alpine Ski House', 'Blue Yonder Airlines', 'City Power & Light', 'Coho Winery',
  'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Fourth Coffee', 'Litware, Inc.', "O'Brien Logistics",
];
const SAMS_ACCOUNTS = ['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.'];

/** The FetchXML queries the emulator received since `from`, decoded. */
function fetchQueriesSince(from: number): string[] {
  return emulator().requestLog.entries.slice(from).flatMap((entry) => {
    const query = new URL(entry.target, 'http://x').searchParams.get('fetchXml');
    return query === null ? [] : [query];
  });
}

describe('dvas get --fetchxml', () => {
  it('runs the query from a file: rows as the service returns them, linked columns as alias.column', async () => {
    const run = await dvas(DEMO.app, ['get', 'contacts', '--fetchxml', fetchFile('contacts.xml', CONTACTS_AND_COMPANIES), '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const rows = JSON.parse(run.stdout) as Row[];
    expect(rows[0]).toEqual({ fullname: 'Maria Campbell', contactid: expect.any(String), 'company.name': 'Fabrikam, Inc.' });
    expect(rows.every((row) => Object.keys(row).every((key) => !key.includes('@')))).toBe(true);
  });

  it('reads the query from stdin with -, and writes ndjson', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '-o', 'ndjson'], {
      stdin: `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='accountnumber' operator='eq' value='ACC-001'/></filter></entity></fetch>`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Row).name)).toEqual(['Fourth Coffee']);
  });

  it('-o table shows the query\'s columns, lookups by name', async () => {
    const run = await dvas(DEMO.app, ['get', 'contacts', '--fetchxml', fetchFile('table.xml', CONTACTS_AND_COMPANIES.replace("<attribute name='name'/>", "<attribute name='name'/><attribute name='ownerid'/>")), '-o', 'table'], { tty: { stdout: true, columns: 200 } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^FULLNAME +CONTACTID +COMPANY\.NAME +COMPANY\.OWNERID/);
    expect(run.stdout).toContain('Fabrikam, Inc.');
    expect(run.stdout).toContain('Alex Admin');
  });

  it('--as runs it as that user: Sam gets the rows Sam may read, the app all of them', async () => {
    const file = fetchFile('accounts.xml', `<fetch><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`);
    const app = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', file, '-o', 'json']);
    expect((JSON.parse(app.stdout) as Row[]).map((row) => row.name)).toEqual(ALL_ACCOUNTS);
    const sam = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', file, '-o', 'json', '--as', DEMO.sam]);
    expect(sam.code, sam.stderr).toBe(0);
    expect((JSON.parse(sam.stdout) as Row[]).map((row) => row.name)).toEqual(SAMS_ACCOUNTS);
    // eq-userid is the impersonated user: Sam's own accounts.
    const mine = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '-o', 'json', '--as', DEMO.sam], {
      stdin: `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='ownerid' operator='eq-userid'/></filter><order attribute='name'/></entity></fetch>`,
    });
    expect((JSON.parse(mine.stdout) as Row[]).map((row) => row.name)).toEqual(['Adventure Works', 'Litware, Inc.']);
  });

  it('without --all: the first page, and a hint on stderr that more rows follow', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', fetchFile('page.xml', ACCOUNT_NAMES), '-o', 'json']);
    expect((JSON.parse(run.stdout) as Row[]).map((row) => row.name)).toEqual(ALL_ACCOUNTS.slice(0, 3));
    expect(run.stderr).toContain('There are more rows in accounts: add --all to read every page.');
  });

  it('--all follows the paging cookies page after page: every row once, in order', async () => {
    const from = emulator().requestLog.entries.length;
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', fetchFile('all.xml', ACCOUNT_NAMES), '--all', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Row[]).map((row) => row.name)).toEqual(ALL_ACCOUNTS);
    expect(run.stderr).not.toContain('more rows');
    const queries = fetchQueriesSince(from);
    expect(queries).toHaveLength(4);
    // Page 2 onwards: the page number incremented and the cookie of the page before, decoded twice.
    expect(queries[1]).toMatch(/^<fetch count="3" page="2" paging-cookie="&lt;cookie page=&quot;1&quot;&gt;&lt;name last=&quot;Blue Yonder Airlines&quot; first=&quot;Adventure Works&quot; \/&gt;&lt;accountid last=&quot;\{[0-9A-F-]{36}\}&quot;/);
    expect(queries[3]).toContain('page="4" paging-cookie="&lt;cookie page=&quot;3&quot;&gt;');
  });

  it('--all under --as: Sam\'s rows, across pages', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '--all', '--page-size', '2', '-o', 'json', '--as', DEMO.sam], { stdin: ACCOUNT_NAMES });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Row[]).map((row) => row.name)).toEqual(SAMS_ACCOUNTS);
    const sam = user(emulator(), DEMO.sam);
    const last = emulator().requestLog.entries.at(-1);
    expect(last?.headers.callerobjectid ?? last?.headers.mscrmcallerid).toBeOneOf([sam.azureactivedirectoryobjectid, sam.systemuserid]);
    expect(new URL(last?.target ?? '', 'http://x').searchParams.get('fetchXml')).toContain('count="2" page="3"');
  });

  it('a query too long for a GET URL goes inside $batch, as the docs advise; --as still applies', async () => {
    const store = emulator().core.store.rows('account');
    const idOf = (name: string) => [...store.values()].find((row) => row.name === name)?.accountid as string;
    const filler = Array.from({ length: 900 }, (_, i) => `<value>${`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`}</value>`).join('');
    const xml = `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='accountid' operator='in'>${filler}<value>${idOf('Fourth Coffee')}</value><value>${idOf('Litware, Inc.')}</value></condition></filter><order attribute='name'/></entity></fetch>`;
    expect(encodeURIComponent(xml).length).toBeGreaterThan(32_768);
    const from = emulator().requestLog.entries.length;
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '-o', 'json'], { stdin: xml });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Row[]).map((row) => row.name)).toEqual(['Fourth Coffee', 'Litware, Inc.']);
    expect(emulator().requestLog.entries.slice(from).map((entry) => `${entry.method} ${entry.target.split('?')[0]}`)).toContain('POST /api/data/v9.2/$batch');
    const sam = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '-o', 'json', '--as', DEMO.sam], { stdin: xml });
    expect((JSON.parse(sam.stdout) as Row[]).map((row) => row.name)).toEqual(['Litware, Inc.']);
    // An error inside the batch is the error of the query itself.
    const bad = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-'], { stdin: xml.replace("attribute name='name'", "attribute name='colour'") });
    expect(bad.code).toBe(ExitCode.Usage);
    expect(bad.stderr).toContain("'account' entity doesn't contain attribute with Name = 'colour'");
  });

  it('--count says how many rows match', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-', '--count', '-o', 'json'], { stdin: ACCOUNT_NAMES });
    expect(run.stderr).toContain('10 rows match.');
  });
});

describe('dvas get --fetchxml: bad input', () => {
  it.each([
    ['not FetchXML', ['--fetchxml', '-'], '{"name":"x"}', 'does not start with a <fetch> element'],
    ['another table than the one named', ['--fetchxml', '-'], ACCOUNT_NAMES.replace("'account'", "'contact'"), 'The FetchXML queries the table "contact", not accounts (account).'],
    ['an OData option beside it', ['--fetchxml', '-', '--select', 'name'], ACCOUNT_NAMES, '--select is an OData query option'],
    ['a file that is not there', ['--fetchxml', join(folder, 'missing.xml')], undefined, 'Cannot read the file'],
  ])('%s: exit 2, no query sent', async (_case, options, stdin, message) => {
    const from = emulator().requestLog.entries.length;
    const run = await dvas(DEMO.app, ['get', 'accounts', ...options], stdin === undefined ? {} : { stdin });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(fetchQueriesSince(from)).toEqual([]);
  });

  it('FetchXML the service refuses is exit 2 with the service\'s sentence', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '--fetchxml', '-'], { stdin: `<fetch><entity name='account'><attribute name='colour'/></entity></fetch>` });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("'account' entity doesn't contain attribute with Name = 'colour'");
  });
});
