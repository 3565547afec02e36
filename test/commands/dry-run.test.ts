import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DryRunDocument } from '../../src/dataverse/dry-run.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { tableCacheFile } from '../../src/tables/table-cache.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user, writesIn } from '../helpers/emulator.js';
import { createRowAs } from '../helpers/rows.js';

/**
 * --dry-run shows the request that would be sent (docs/dry-run.md): the read-only lookups it
 * needs first (the --as user by email, a table not yet in the table cache) are sent for real, and
 * the write, or the read a command was asked for, is printed with its caller header instead of
 * sent. --dry-run --offline sends nothing at all, not even a token request.
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const newConfigDir = useTempConfigDir();

const sam = () => user(emulator(), DEMO.sam);
const account = (id: string) => emulator().core.store.rows('account').get(id);

/** The lookups a run with `--as sam.sales@…` and an uncached table sends: the user, then the table. */
function expectLookups(sent: readonly string[]): void {
  expect(sent.some((request) => request.startsWith('GET /api/data/v9.2/systemusers?') && decodeURIComponent(request).includes(`internalemailaddress eq '${DEMO.sam}'`))).toBe(true);
  expect(sent.some((request) => request.startsWith('GET /api/data/v9.2/EntityDefinitions?'))).toBe(true);
  expect(writesIn(sent)).toEqual([]);
}

describe('--dry-run with --as by email and a table not in the cache: the operation itself is printed', () => {
  it('create: the POST with CallerObjectId and its body; only GETs reach the service, nothing is created, the table is cached', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--dry-run', '--as', DEMO.sam, '--data', '{"name":"Dry create"}'], { env });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^POST \S+\/api\/data\/v9\.2\/accounts\n/);
    expect(run.stdout).toContain(`\nCallerObjectId: ${sam().azureactivedirectoryobjectid}\n`);
    expect(run.stdout).toContain('\nAuthorization: REDACTED\n');
    expect(run.stdout).toMatch(/\n\n\{"name":"Dry create","accountid":"[0-9a-f-]{36}"\}\n$/);
    expect(run.stdout).not.toContain('EntityDefinitions');
    expectLookups(sent());
    expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/systemusers\?/m);
    expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/EntityDefinitions\?/m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('Dry run: the request above was not sent.');
    expect([...emulator().core.store.rows('account').values()].filter((row) => row.name === 'Dry create')).toEqual([]);
    // The lookup's answer is cached as in a real run: the next dry run has no table lookup to make.
    expect(existsSync(tableCacheFile(env))).toBe(true);
    const again = requestsFrom(emulator());
    expect((await dvas(DEMO_APP.clientId, ['create', 'accounts', '--dry-run', '--data', '{"name":"Dry create"}'], { env })).code).toBe(ExitCode.Ok);
    expect(again()).toEqual([]);
  });

  it('update: the PATCH with If-Match, CallerObjectId and its body; the row is unchanged', async () => {
    const id = await createRowAs(emulator(), DEMO_APP.clientId, 'accounts', { name: 'Dry update' });
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', id, '--dry-run', '--as', DEMO.sam, '--data', '{"name":"Wet"}'], { env: { DVAS_CONFIG_DIR: newConfigDir() } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(new RegExp(`^PATCH \\S+/api/data/v9\\.2/accounts\\(${id}\\)\\n`));
    expect(run.stdout).toContain('\nIf-Match: *\n');
    expect(run.stdout).toContain(`\nCallerObjectId: ${sam().azureactivedirectoryobjectid}\n`);
    expect(run.stdout).toMatch(/\n\n\{"name":"Wet"\}\n$/);
    expectLookups(sent());
    expect(account(id)).toMatchObject({ name: 'Dry update' });
  });

  it('delete (no --yes needed): the DELETE with CallerObjectId; the row is still there', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Dry delete' });
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, ['delete', 'accounts', id, '--dry-run', '--as', DEMO.sam], { env: { DVAS_CONFIG_DIR: newConfigDir() } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(new RegExp(`^DELETE \\S+/api/data/v9\\.2/accounts\\(${id}\\)\\n`));
    expect(run.stdout).toContain(`\nCallerObjectId: ${sam().azureactivedirectoryobjectid}\n`);
    expectLookups(sent());
    expect(account(id)).toBeDefined();
  });

  it.each([
    ['one record', (id: string) => ['get', 'accounts', id, '--select', 'name'], (id: string) => new RegExp(`^GET \\S+/api/data/v9\\.2/accounts\\(${id}\\)\\?\\$select=name\\n`)],
    ['a query', () => ['get', 'accounts', '--filter', "name eq 'Dry get'"], () => /^GET \S+\/api\/data\/v9\.2\/accounts\?\$filter=name%20eq%20%27Dry%20get%27/],
  ])('get, %s: the read itself, as the --as user, is printed and not sent', async (_, argv, line) => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Dry get' });
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, [...argv(id), '--dry-run', '--as', DEMO.sam], { env: { DVAS_CONFIG_DIR: newConfigDir() } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(line(id));
    expect(run.stdout).toContain(`\nCallerObjectId: ${sam().azureactivedirectoryobjectid}\n`);
    expectLookups(sent());
    // The read printed is not among those sent: every request sent was a lookup.
    expect(sent().filter((request) => request.startsWith('GET /api/data/v9.2/accounts'))).toEqual([]);
  });

  it('-o json: the lookups made and the request not sent, as one document', async () => {
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--dry-run', '--as', DEMO.sam, '--data', '{"name":"Dry json"}'], { env: { DVAS_CONFIG_DIR: newConfigDir() } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const document = run.json() as DryRunDocument;
    expect(document).toMatchObject({ dryRun: true, offline: false });
    expect(document.lookups.map((lookup) => `${lookup.method} ${new URL(lookup.url).pathname}`)).toEqual([
      'GET /api/data/v9.2/systemusers',
      'GET /api/data/v9.2/EntityDefinitions',
    ]);
    expect(document.lookups.map((lookup) => { const url = new URL(lookup.url); return `GET ${url.pathname}${url.search}`; })).toEqual(sent());
    expect(document.requests).toEqual([
      {
        kind: 'operation',
        method: 'POST',
        url: `${emulator().apiUrl}accounts`,
        headers: expect.objectContaining({ CallerObjectId: sam().azureactivedirectoryobjectid, Authorization: 'REDACTED', 'Content-Type': 'application/json; charset=utf-8' }),
        body: expect.stringMatching(/^\{"name":"Dry json","accountid":"[0-9a-f-]{36}"\}$/),
      },
    ]);
  });
});

describe('--dry-run --offline: nothing is sent, not even a sign-in', () => {
  // A client-secret profile signs in through the emulator's authority, so its log shows any token request.
  const signingIn = () => ({ DVAS_CONFIG_DIR: newConfigDir(), DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, AZURE_CLIENT_SECRET: DEMO_APP.clientSecret, NO_COLOR: '1' });

  it('without --offline the same profile signs in and sends the lookups (the control)', async () => {
    const authority = emulator().authority.log.entries.length;
    const sent = requestsFrom(emulator());
    const run = await runCli(['create', 'accounts', '--dry-run', '--as', DEMO.sam, '--data', '{"name":"Dry"}'], { env: signingIn() });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^POST /);
    expect(emulator().authority.log.entries.slice(authority).map((entry) => entry.endpoint)).toContain('token');
    expectLookups(sent());
  });

  it('prints the first request, the lookup of the --as user, says why it stops there, and neither the Web API nor the authority sees a request', async () => {
    const authority = emulator().authority.log.entries.length;
    const sent = requestsFrom(emulator());
    const run = await runCli(['create', 'accounts', '--dry-run', '--offline', '--as', DEMO.sam, '--data', '{"name":"Dry"}'], { env: signingIn() });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^GET \S+\/api\/data\/v9\.2\/systemusers\?/);
    expect(run.stdout).toContain('\nAuthorization: REDACTED\n');
    expect(run.stderr).toContain('dvas would first look up "sam.sales@contoso.com" in systemusers');
    expect(run.stderr).toContain('Dry run (--offline): the lookup above was not sent');
    expect(sent()).toEqual([]);
    expect(emulator().authority.log.entries.length).toBe(authority);
  });

  it.each([
    ['an email', () => DEMO.sam],
    ['aad:<object id>', () => `aad:${String(sam().azureactivedirectoryobjectid)}`],
  ])('roles <user> given as %s: the same note as --as, that the lookup of the user is the request shown', async (_, given) => {
    const sent = requestsFrom(emulator());
    const run = await runCli(['roles', given(), '--dry-run', '--offline'], { env: signingIn() });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^GET \S+\/api\/data\/v9\.2\/systemusers\?/);
    expect(run.stderr).toContain(`dvas would first look up "${given()}" in systemusers, so that is the request shown; run without --offline, or give the user as a systemuserid, to see the request of the operation itself.`);
    expect(run.stderr).toContain('Dry run (--offline): the lookup above was not sent');
    expect(sent()).toEqual([]);
  });

  it('-o json: the lookup as the one request, marked as a lookup', async () => {
    const sent = requestsFrom(emulator());
    const run = await runCli(['get', 'accounts', '-o', 'json', '--dry-run', '--offline'], { env: signingIn() });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.json()).toMatchObject({ dryRun: true, offline: true, lookups: [], requests: [{ kind: 'lookup', method: 'GET', url: expect.stringContaining('/EntityDefinitions?'), body: null }] });
    expect(sent()).toEqual([]);
  });

  it('a bulk create stops before its reads, sending nothing', async () => {
    const directory = newConfigDir();
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'rows.ndjson');
    writeFileSync(file, '{"name":"Bulk dry 1"}\n{"name":"Bulk dry 2"}\n');
    const authority = emulator().authority.log.entries.length;
    const sent = requestsFrom(emulator());
    const run = await runCli(['create', 'accounts', '--file', file, '--dry-run', '--offline'], { env: signingIn() });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stderr).toContain("Dry run (--offline): a bulk create's plan needs the table");
    expect(sent()).toEqual([]);
    expect(emulator().authority.log.entries.length).toBe(authority);
  });

  it.each([
    ['a write', ['create', 'accounts', '--offline', '--data', '{"name":"Not dry"}']],
    ['a read', ['whoami', '--offline']],
  ])('--offline without --dry-run (%s): exit 2 with one sentence, nothing sent', async (_, argv) => {
    const authority = emulator().authority.log.entries.length;
    const sent = requestsFrom(emulator());
    const run = await runCli(argv, { env: signingIn() });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toBe('error: --offline only goes with --dry-run (it makes the dry run send nothing at all): nothing was sent.\n');
    expect(run.stdout).toBe('');
    expect(sent()).toEqual([]);
    expect(emulator().authority.log.entries.length).toBe(authority);
  });
});

/** The request lines of the HTTP messages a dry run printed on stdout. */
const requestLines = (stdout: string) => stdout.split('\n').filter((line) => /^(GET|POST|PATCH|PUT|DELETE) \S+$/.test(line));

describe('--dry-run of a command that sends requests in parallel: only the first request not sent is printed', () => {
  it.each([
    ['can', ['can', 'create', 'accounts', '--as', DEMO.sam]],
    ['roles --effective', ['roles', '--as', DEMO.sam, '--effective']],
    ['compare', ['compare', 'accounts', DEMO.sam, DEMO.riley]],
  ])('%s: one HTTP message, and with -o json one document', async (_, argv) => {
    const text = await dvas(DEMO.admin, [...argv, '--dry-run']);
    expect(text.code, text.stderr).toBe(ExitCode.Ok);
    expect(requestLines(text.stdout)).toHaveLength(1);
    expect(text.stderr.trimEnd().split('\n').at(-1)).toBe('Dry run: the request above was not sent.');
    const json = await dvas(DEMO.admin, [...argv, '--dry-run', '-o', 'json']);
    expect(json.code, json.stderr).toBe(ExitCode.Ok);
    expect((json.json() as DryRunDocument).requests).toHaveLength(1);
    const ndjson = await dvas(DEMO.admin, [...argv, '--dry-run', '-o', 'ndjson']);
    expect(ndjson.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('--dry-run shows URLs through the sanitizer --verbose uses', () => {
  it('a query value that is no OData option reads REDACTED in the printed request, text and JSON; OData options stay as sent', async () => {
    const text = await dvas(DEMO.admin, ['api', 'GET', 'WhoAmI?token=s3cr3t', '--dry-run']);
    expect(text.code, text.stderr).toBe(ExitCode.Ok);
    expect(requestLines(text.stdout)).toEqual([`GET ${emulator().apiUrl}WhoAmI?token=REDACTED`]);
    expect(text.stdout + text.stderr).not.toContain('s3cr3t');
    const json = await dvas(DEMO.admin, ['api', 'GET', 'accounts?$select=name&code=s3cr3t', '--dry-run', '-o', 'json']);
    expect(json.code, json.stderr).toBe(ExitCode.Ok);
    expect((json.json() as DryRunDocument).requests[0]?.url).toBe(`${emulator().apiUrl}accounts?$select=name&code=REDACTED`);
    expect(json.stdout + json.stderr).not.toContain('s3cr3t');
  });

  it("get --fetchxml: Dataverse's fetchXml parameter is a query, shown as sent", async () => {
    const directory = newConfigDir();
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'query.xml');
    writeFileSync(file, '<fetch><entity name="account"><attribute name="name"/></entity></fetch>');
    const run = await dvas(DEMO.admin, ['get', 'accounts', '--fetchxml', file, '--dry-run']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const [line] = requestLines(run.stdout);
    expect(line).toMatch(/^GET \S+\/api\/data\/v9\.2\/accounts\?fetchXml=/);
    expect(decodeURIComponent(line ?? '')).toContain('<attribute name="name"/>');
  });
});

describe('--dry-run that meets a privilege denial: reported as any error, diagnosed, no request printed', () => {
  // Nora has no role: she may not read users, so the lookup of the --as user is refused (0x80040220).
  const argv = ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"Dry denied"}', '--dry-run'];

  it('text: exit 5, nothing on stdout, the error and its diagnosis on stderr', async () => {
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.nora, argv);
    expect(run.code, run.stderr).toBe(ExitCode.PrivilegeDenied);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: Cannot look up "sam\.sales@contoso\.com": the signed-in identity may not read users \(prvReadUser\)/m);
    // Her token names her, though she may not read her own row.
    expect(run.stderr).toContain(`\ndiagnosis: The signed-in identity (${String(user(emulator(), DEMO.nora).fullname)}) lacks prvReadUser.\n`);
    expect(run.stderr).not.toContain('could not diagnose');
    expect(run.stderr).not.toContain('the request above was not sent');
    // The diagnosis's reads were sent as lookups, and announced as such; nothing else was.
    expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/WhoAmI$/m);
    expect(writesIn(sent())).toEqual([]);
  });

  it('-o json: stdout is the error document with its diagnosis, not a dry-run document', async () => {
    const run = await dvas(DEMO.nora, [...argv, '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.PrivilegeDenied);
    const document = run.json() as { error: { code: string; message: string; diagnosis: { status: string } } };
    expect(Object.keys(document)).toEqual(['error']);
    expect(document.error).toMatchObject({ code: '0x80040220', diagnosis: { status: 'diagnosed' } });
    expect(run.stderr).not.toMatch(/^error:/m);
  });
});

describe('--dry-run of the commands that read about users: the --as/user lookup and WhoAmI are sent, the operation is printed', () => {
  const usersWithRoles = /^GET \S+\/api\/data\/v9\.2\/systemusers\?\$select=\S+&\$filter=systemuserid%20eq%20[^&]+&\$expand=systemuserroles_association/;
  const samByEmail = (request: string) => request.startsWith('GET /api/data/v9.2/systemusers?') && decodeURIComponent(request).includes(`internalemailaddress eq '${DEMO.sam}'`);
  const whoAmI = (request: string) => request === 'GET /api/data/v9.2/WhoAmI';

  it.each([
    ['can', ['can', 'create', 'accounts', '--as', DEMO.sam], usersWithRoles, [whoAmI, samByEmail]],
    ['can --record', ['can', 'read', 'accounts', '--as', DEMO.sam, '--record', '00000000-0000-0000-0000-0000000000a1'], /^GET \S+\/api\/data\/v9\.2\/accounts\(00000000-0000-0000-0000-0000000000a1\)\?\$select=/, [whoAmI, samByEmail]],
    ['roles --effective', ['roles', '--as', DEMO.sam, '--effective'], usersWithRoles, [whoAmI, samByEmail]],
    ['roles <user> --privileges', ['roles', DEMO.sam, '--privileges'], usersWithRoles, [samByEmail]],
    ['roles --privileges', ['roles', '--privileges'], usersWithRoles, [whoAmI]],
    ['roles --as (no user)', ['roles', '--as', DEMO.sam], /^GET \S+\/api\/data\/v9\.2\/systemusers\([0-9a-f-]{36}\)\/systemuserroles_association\?/, [samByEmail, whoAmI]],
    ['compare', ['compare', 'accounts', DEMO.sam], /^GET \S+\/api\/data\/v9\.2\/accounts$/, [whoAmI, samByEmail]],
    ['users --as', ['users', '--as', DEMO.sam], /^GET \S+\/api\/data\/v9\.2\/systemusers\?\$select=\S+&\$orderby=fullname$/, [samByEmail]],
    ['who-can', ['who-can', 'create', 'accounts'], /^GET \S+\/api\/data\/v9\.2\/roles\?/, []],
  ] as const)('%s', async (_, argv, operation, lookups) => {
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO.admin, [...argv, '--dry-run']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(requestLines(run.stdout)).toHaveLength(1);
    expect(run.stdout.split('\n')[0]).toMatch(operation);
    for (const lookup of lookups) expect(sent().filter(lookup), lookup.toString()).toHaveLength(1);
    // Only lookups went out: the operation printed is not among them, nor any write.
    expect(writesIn(sent())).toEqual([]);
    expect(sent().some((request) => operation.test(`GET ${emulator().url}${request.slice(4)}`))).toBe(false);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('Dry run: the request above was not sent.');
  });

  it('compare as --as: the query printed carries the caller header of the user acted as', async () => {
    const run = await dvas(DEMO.admin, ['compare', 'accounts', DEMO.riley, '--as', DEMO.sam, '--dry-run']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toContain(`\nCallerObjectId: ${sam().azureactivedirectoryobjectid}\n`);
  });
});

describe('--dry-run of a bulk create: its reads are lookups like any command, its plan honours -o json', () => {
  const rows = () => JSON.stringify([{ name: 'Bulk plan 1' }, { name: 'Bulk plan 2' }, { name: 'Bulk plan 3', '@as': DEMO.sam }]);
  const LAST = "Dry run: the requests above were not sent, and nothing was written; only the read-only lookups were sent.";

  it('text: the lookups announced on stderr, the plan and each user\'s first request on stdout, and a last line that says what was sent', async () => {
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', rows(), '--dry-run']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^Plan: 3 rows into accounts as 2 users, batches of \d+, concurrency \d+ \(.+\)\.\n/);
    expect(requestLines(run.stdout)).toEqual([`POST ${emulator().apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`, `POST ${emulator().apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`]);
    const announced = run.stderr.split('\n').filter((line) => line.startsWith('Dry run: looking up GET '));
    expect(announced.length).toBeGreaterThan(0);
    expect(announced.length).toBe(sent().length);
    expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/EntityDefinitions\?/m);
    expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/systemusers\?/m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(LAST);
    expect(writesIn(sent())).toEqual([]);
  });

  it('-o json: one document with the plan, the lookups sent and each user\'s first request', async () => {
    const sent = requestsFrom(emulator());
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--data', rows(), '--dry-run', '-o', 'json', '--batch-size', '2']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const document = run.json() as DryRunDocument;
    expect(document.plan).toEqual({
      rows: 3,
      entitySet: 'accounts',
      batchSize: 2,
      concurrency: expect.any(Number),
      concurrencySource: expect.stringMatching(/^(hint|default)$/),
      users: [
        { user: null, rows: 2, requests: 1, firstReadBack: false },
        { user: DEMO.sam, rows: 1, requests: 1, firstReadBack: true },
      ],
    });
    expect(document.lookups.map((lookup) => { const url = new URL(lookup.url); return `GET ${url.pathname}${url.search}`; })).toEqual(sent());
    expect(document.requests.map((request) => `${request.kind} ${request.method} ${request.url}`)).toEqual([
      `operation POST ${emulator().apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`,
      `operation POST ${emulator().apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`,
    ]);
    expect(document.requests[1]?.headers).toMatchObject({ CallerObjectId: sam().azureactivedirectoryobjectid });
    expect(writesIn(sent())).toEqual([]);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(LAST);
  });
});
