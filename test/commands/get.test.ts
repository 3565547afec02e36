import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ExitCode } from '../../src/exit-codes.js';
import { bufferIO, useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import type { DryRunDocument } from '../../src/dataverse/dry-run.js';

/**
 * `dvas get` in process against a real emulator over HTTP, signed in with a bearer token
 * (DVAS_ACCESS_TOKEN). The demo organisation has ten accounts; Sam Sales may read only those of
 * his business unit (Contoso Sales).
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const newConfigDir = useTempConfigDir();
const ACCOUNT_COUNT = 10;
const requests = () => emulator().stats.requests;

function rows(text: string): Array<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`not an array: ${text}`);
  return parsed;
}

function accountNamed(name: string): string {
  for (const [id, row] of emulator().core.store.rows('account')) if (row.name === name) return id;
  throw new Error(`no account ${name}`);
}

describe('which table', () => {
  it.each([['accounts'], ['account']])('%s: by entity set name or logical name, the same rows', async (table) => {
    const run = await dvas(DEMO.app, ['get', table, '-o', 'json', '--select', 'name']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(rows(run.stdout)).toHaveLength(ACCOUNT_COUNT);
  });

  it('an unknown table: exit 6', async () => {
    const run = await dvas(DEMO.app, ['get', 'nosuchthings']);
    expect(run.code).toBe(ExitCode.NotFound);
    expect(run.stderr).toContain('There is no table "nosuchthings"');
    // Examples, not a guess at what was meant: the hint is the same for every unknown name.
    expect(run.stderr).toContain('hint: Give a table by its logical name (such as account) or its entity set name (such as accounts).');
  });

  it.each([
    ['an unknown column', ['--select', 'Name'], "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'."],
    ['a malformed --filter', ['--filter', "name eq 'O'Bryan'"], 'unterminated'],
  ])('%s that Dataverse refuses (400) is bad input: exit 2 with the service\'s sentence', async (_, options, message) => {
    const run = await dvas(DEMO.app, ['get', 'accounts', ...options]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('the table lookup is cached across runs: the second run sends one request', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    const before = requests();
    expect((await dvas(DEMO.app, ['get', 'contacts', '-o', 'json', '--top', '1'], { env })).code).toBe(0);
    expect(requests() - before).toBe(2);
    const afterFirst = requests();
    expect((await dvas(DEMO.app, ['get', 'contact', '-o', 'json', '--top', '1'], { env })).code).toBe(0);
    expect(requests() - afterFirst).toBe(1);
  });
});

describe('JSON: rows as the service returns them', () => {
  it('one record by id: the row object, no annotations (not even @odata.etag)', async () => {
    const id = accountNamed('Litware, Inc.');
    const run = await dvas(DEMO.app, ['get', 'accounts', id, '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const row = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(row).toMatchObject({ accountid: id, name: 'Litware, Inc.', _ownerid_value: user(emulator(), DEMO.sam).systemuserid, statecode: 0 });
    expect(Object.keys(row).filter((key) => key.includes('@'))).toEqual([]);
  });

  it('--formatted keeps the formatted values and lookup names the service sent', async () => {
    const id = accountNamed('Litware, Inc.');
    const run = await dvas(DEMO.app, ['get', 'accounts', id, '-o', 'json', '--formatted']);
    const row = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(row['_ownerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Sam Sales');
    expect(row['_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('systemuser');
    expect(row['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Active');
    expect(row['@odata.etag']).toMatch(/^W\//);
  });

  it('annotations are removed inside expanded rows too', async () => {
    const id = accountNamed('Litware, Inc.');
    const run = await dvas(DEMO.app, ['get', 'accounts', id, '-o', 'json', '--select', 'name', '--expand', 'primarycontactid($select=fullname),createdby($select=fullname)']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('@');
    expect(JSON.parse(run.stdout)).toMatchObject({ createdby: { fullname: 'Sam Sales' } });
  });

  it('a collection is an array of rows; --count goes to stderr and the shape stays an array', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--select', 'name', '--filter', "address1_city eq 'Redmond'", '--orderby', 'name', '--count']);
    expect(run.code, run.stderr).toBe(0);
    expect(rows(run.stdout)).toEqual([
      { accountid: accountNamed('City Power & Light'), name: 'City Power & Light' },
      { accountid: accountNamed('Contoso Pharmaceuticals'), name: 'Contoso Pharmaceuticals' },
    ]);
    expect(run.stderr).toContain('2 rows match.');
  });

  it('--count sends $count=true', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--count', '--top', '1', '--verbose']);
    expect(loggedRequests(run.stderr).at(-1)?.line).toBe('GET accounts');
    expect(run.stderr).toMatch(/> GET \S*accounts\?\S*\$count=true/);
    expect(run.stderr).toContain(`${ACCOUNT_COUNT} rows match.`);
  });

  it('an empty result is []', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--filter', "name eq 'nobody'"]);
    expect(run.stdout).toBe('[]\n');
  });

  it('streamed JSON is byte for byte what JSON.stringify(rows, null, 2) prints', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--all', '--page-size', '3', '--select', 'name,address1_city']);
    expect(run.stdout).toBe(`${JSON.stringify(rows(run.stdout), null, 2)}\n`);
    expect(rows(run.stdout)).toHaveLength(ACCOUNT_COUNT);
  });
});

describe('paging', () => {
  it('--page-size sends Prefer: odata.maxpagesize and reads one page; the rest is named on stderr', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--page-size', '3', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(rows(run.stdout)).toHaveLength(3);
    expect(loggedRequests(run.stderr).at(-1)?.headers.prefer).toContain('odata.maxpagesize=3');
    expect(run.stderr).toContain('There are more rows in accounts: add --all to read every page.');
  });

  it('--all follows @odata.nextLink to the last page', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'ndjson', '--all', '--page-size', '3', '--select', 'name', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    const names = run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { name: string }).name);
    expect(new Set(names).size).toBe(ACCOUNT_COUNT);
    // One lookup, then four pages of at most three rows.
    expect(loggedRequests(run.stderr).filter((request) => request.line === 'GET accounts')).toHaveLength(4);
    expect(run.stderr).not.toContain('There are more rows');
  });

  it.each([['ndjson'], ['csv'], ['json']])('-o %s writes each page as it arrives, not after the last one', async (format) => {
    const io = bufferIO();
    const requestsAtWrite: number[] = [];
    const write = io.stdout.write;
    io.stdout.write = (text: string) => {
      requestsAtWrite.push(requests());
      return write(text);
    };
    const env = { DVAS_URL: emulator().url, DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app), DVAS_CONFIG_DIR: newConfigDir() };
    const before = requests();
    const code = await main(['get', 'accounts', '-o', format, '--all', '--page-size', '2', '--select', 'name'], { io, env });
    expect(code, io.stderrText()).toBe(0);
    // The table lookup, then the first page: the first rows are out before the second page is asked for.
    expect(requestsAtWrite[0]).toBe(before + 2);
    expect(requests() - before).toBe(1 + ACCOUNT_COUNT / 2);
  });
});

describe('tables and CSV: readable', () => {
  it('lookups show the name, option sets their label, headers have no _x_value noise', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'csv', '--select', 'name,_ownerid_value,statecode', '--filter', "accountnumber eq 'ACC-003'"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`name,ownerid,statecode,accountid\r\n"Litware, Inc.",Sam Sales,Active,${accountNamed('Litware, Inc.')}\r\n`);
  });

  it('a table without --select shows the primary name and id, and asks only for them', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'table', '--verbose'], { tty: { stdout: true } });
    expect(run.code, run.stderr).toBe(0);
    const [header, ...lines] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+ACCOUNTID$/);
    expect(lines).toHaveLength(ACCOUNT_COUNT);
    expect(run.stderr).toMatch(/> GET \S*accounts\?\$select=name,accountid/);
  });

  it('an expanded row shows its readable values', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'csv', '--select', 'name', '--expand', 'createdby($select=fullname)', '--filter', "accountnumber eq 'ACC-003'"]);
    expect(run.stdout.split('\r\n')[1]).toBe(`"Litware, Inc.",${accountNamed('Litware, Inc.')},Sam Sales`);
  });

  it('one record as label/value lines, empty columns left out, lookups by name', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', accountNamed('Litware, Inc.'), '-o', 'table'], { tty: { stdout: true } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^name\s+Litware, Inc\.$/m);
    expect(run.stdout).toMatch(/^ownerid\s+Sam Sales$/m);
    expect(run.stdout).toMatch(/^owningbusinessunit\s+Contoso Sales$/m);
    expect(run.stdout).not.toMatch(/^telephone1/m);
    expect(run.stdout).not.toContain('_value');
  });

  it('no rows: nothing on stdout, a note on stderr', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'table', '--filter', "name eq 'nobody'"], { tty: { stdout: true } });
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No rows.');
  });
});

describe('usage errors: exit 2, nothing sent', () => {
  it.each([
    ['a bad id', ['get', 'accounts', '1234']],
    ['--top 0', ['get', 'accounts', '--top', '0']],
    ['--top -3', ['get', 'accounts', '--top=-3']],
    ['--top 2.5', ['get', 'accounts', '--top', '2.5']],
    ['--top abc', ['get', 'accounts', '--top', 'abc']],
    ['--page-size 0', ['get', 'accounts', '--page-size', '0']],
    ['--page-size 5001', ['get', 'accounts', '--page-size', '5001']],
    ['an id with --filter', ['get', 'accounts', '00000000-0000-0000-0000-000000000001', '--filter', 'statecode eq 0']],
    ['an id with --all', ['get', 'accounts', '00000000-0000-0000-0000-000000000001', '--all']],
    ['an id with --count', ['get', 'accounts', '00000000-0000-0000-0000-000000000001', '--count']],
    ['--top with --all', ['get', 'accounts', '--top', '5', '--all']],
    ['--top with --page-size', ['get', 'accounts', '--top', '5', '--page-size', '2']],
    ['a --select that is not column names', ['get', 'accounts', '--select', 'name,$top=1']],
    ['an empty --filter', ['get', 'accounts', '--filter', ' ']],
    ['a table name that could add to the URL', ['get', 'accounts?$top=1']],
  ])('%s', async (_, argv) => {
    const before = requests();
    const run = await dvas(DEMO.app, argv);
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: /);
    expect(requests()).toBe(before);
  });

  it('a GUID in braces and an alternate key are ids', async () => {
    const id = accountNamed('Litware, Inc.');
    expect((await dvas(DEMO.app, ['get', 'accounts', `{${id.toUpperCase()}}`, '-o', 'json'])).json()).toMatchObject({ accountid: id });
    // The emulator defines no alternate keys: what matters here is that dvas sends the key as written.
    const byKey = await dvas(DEMO.app, ['get', 'accounts', `accountnumber='ACC-003'`, '--verbose']);
    expect(byKey.stderr).toMatch(/^> GET \S+\/accounts\(accountnumber='ACC-003'\)$/m);
  });
});

describe('failures from the service', () => {
  it('a record that does not exist: exit 6', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '00000000-0000-0000-0000-000000000001']);
    expect(run.code).toBe(ExitCode.NotFound);
    expect(run.stderr).toContain('Does Not Exist');
  });

  it('a table the identity may not read: exit 5, as JSON on stdout with -o json', async () => {
    const run = await dvas(DEMO.riley, ['get', 'tasks', '-o', 'json']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: '0x80040220', status: 403 } });
  });
});

describe('--as', () => {
  it('reads as the --as user: Sam Sales sees only his business unit\'s accounts', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--select', 'name', '--as', DEMO.sam]);
    expect(run.code, run.stderr).toBe(0);
    const names = rows(run.stdout).map((row) => row.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(ACCOUNT_COUNT);
    expect(names).toContain('Litware, Inc.');
    expect(names).not.toContain('Fourth Coffee');
  });

  it('sends the impersonation header with the read', async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--top', '1', '--as', DEMO.sam, '--verbose']);
    const read = loggedRequests(run.stderr).filter((request) => request.line === 'GET accounts');
    expect(read.at(-1)?.headers.callerobjectid).toBe(user(emulator(), DEMO.sam).azureactivedirectoryobjectid);
  });

  it('a denial under --as is explained (exit 5)', async () => {
    const run = await dvas(DEMO.app, ['get', 'tasks', '--as', DEMO.riley]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain('prvReadTask');
  });
});

describe('--dry-run', () => {
  it('prints the query with its Prefer header once the table is cached, and sends nothing', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--top', '1'], { env });
    const before = requests();
    const run = await dvas(DEMO.app, ['get', 'accounts', '--filter', "name eq 'x'", '--page-size', '7', '--formatted', '--dry-run'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^GET \S+\/accounts\?\$filter=name%20eq%20%27x%27/);
    expect(run.stdout).toContain('odata.maxpagesize=7');
    expect(run.stdout).toContain('OData.Community.Display.V1.FormattedValue');
    expect(requests()).toBe(before);

    // With -o json asked for: the same request as the dry-run document (schemas/dry-run.schema.json).
    const json = await dvas(DEMO.app, ['get', 'accounts', '-o', 'json', '--filter', "name eq 'x'", '--page-size', '7', '--dry-run'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toMatchObject({ dryRun: true, offline: false, lookups: [], requests: [{ kind: 'operation', method: 'GET', url: expect.stringMatching(/\/accounts\?\$filter=name%20eq%20%27x%27/), body: null }] });
    expect((json.json() as DryRunDocument).requests[0]?.headers.Prefer).toContain('odata.maxpagesize=7');
    expect(requests()).toBe(before);
  });
});
