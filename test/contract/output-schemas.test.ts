import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { ROOT } from '../helpers/build.js';
import { runCli, useTempConfigDir, type CliRun } from '../helpers/cli.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { MISSING_ID } from '../helpers/rows.js';
import { firstLine, useDvasProcesses } from '../helpers/emulator-process.js';
import { commandSurface } from './command-surface.js';
import { loadSchemas, problems, schemaFileOf, schemaFiles, SHARED_SCHEMAS, validatorOf, VARIANT_SCHEMAS } from './schemas.js';

/**
 * A command's `-o json` output is a contract: schemas/<command>.schema.json (JSON Schema 2020-12)
 * says what a script may rely on, and every schema here is checked against what the real CLI
 * prints against a real emulator (in process through main(), the emulator's --json line from a
 * spawned `dvas emulator`). Error objects (`{"error":…}`) have schemas/error.schema.json.
 *
 * Adding a command with -o json output:
 *   1. write schemas/<command>.schema.json (`profile list` → profile-list.schema.json), `$id` the
 *      file name, shared pieces from definitions.schema.json; close objects whose keys dvas decides
 *      (`additionalProperties: false`) and leave open, on purpose and said so in the description,
 *      only what the service decides (a row's columns);
 *   2. add a case below that runs the command for real and calls expectJson (and expectNdjson for
 *      a list);
 *   3. regenerate the command-surface snapshot: npm run snapshot:update.
 * The first tests fail until a new command has a schema (or is listed in WITHOUT_JSON with why),
 * and the last until each schema has been checked against real output.
 */
const WITHOUT_JSON: Record<string, string> = {
  demo: 'a tour: it prints the outputs of the commands it runs, each of which has its own schema',
  completion: 'it prints a shell script, whatever -o says: the script is the output',
};

const ajv = loadSchemas();
const checked = new Set<string>();

function expectValid(ref: string, value: unknown): void {
  checked.add(ref.split('#')[0] ?? ref);
  expect(problems(validatorOf(ajv, ref), value), JSON.stringify(value, null, 2)).toEqual([]);
}

/** The run ended with `code` and its stdout is one JSON document valid against `ref`. */
function expectJson(run: CliRun, ref: string, code: number = ExitCode.Ok): unknown {
  expect(run.code, run.stderr).toBe(code);
  const value = run.json();
  expectValid(ref, value);
  return value;
}

/** `-o ndjson`: every line on its own is valid against `itemRef`. */
function expectNdjson(run: CliRun, itemRef: string, code: number = ExitCode.Ok): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stdout.split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expectValid(itemRef, JSON.parse(line));
}

const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
const dvas = dvasAgainst(emulator);
const newConfigDir = useTempConfigDir();
const startDvas = useDvasProcesses();

describe('every command has an output schema', () => {
  const commands = commandSurface().commands.map((command) => command.name);
  const groups = new Set(commands.filter((name) => commands.some((other) => other.startsWith(`${name} `))));

  it('each command (groups aside) has schemas/<command>.schema.json, or says why it prints no JSON', () => {
    const files = new Set(schemaFiles());
    const missing = commands.filter((name) => !groups.has(name) && !(name in WITHOUT_JSON) && !files.has(schemaFileOf(name)));
    expect(missing, 'commands without an output schema (see the steps at the top of this file)').toEqual([]);
  });

  it('each schema file belongs to a command, the error object, the dry-run document or the shared definitions', () => {
    const known = new Set([...commands.map(schemaFileOf), 'error.schema.json', 'dry-run.schema.json', ...SHARED_SCHEMAS, ...Object.keys(VARIANT_SCHEMAS)]);
    expect(schemaFiles().filter((file) => !known.has(file))).toEqual([]);
  });
});

describe('real -o json output matches its schema', () => {
  it('can, allowed and denied', async () => {
    expectJson(await dvas(DEMO_APP.clientId, ['can', 'create', 'accounts', '--as', DEMO.sam, '-o', 'json']), 'can.schema.json');
    expectJson(await dvas(DEMO_APP.clientId, ['can', 'create', 'accounts', '--as', DEMO.riley, '-o', 'json']), 'can.schema.json', ExitCode.PrivilegeDenied);
    expectJson(await dvas(DEMO_APP.clientId, ['can', 'read', 'accounts', '--record', "accountnumber='ACC-002'", '--as', DEMO.sam, '-o', 'json']), 'can.schema.json');
    expectJson(await dvas(DEMO_APP.clientId, ['can', 'write', 'accounts', '--record', "accountnumber='ACC-006'", '--as', DEMO.tess, '-o', 'json']), 'can.schema.json');
    expectJson(await dvas(DEMO_APP.clientId, ['can', 'read', 'accounts', '--record', "accountnumber='ACC-001'", '--as', DEMO.sam, '-o', 'json']), 'can.schema.json', ExitCode.PrivilegeDenied);
  });

  it('whoami, and whoami --as (with the caller)', async () => {
    expectJson(await dvas(DEMO.app, ['whoami', '-o', 'json']), 'whoami.schema.json');
    const acting = expectJson(await dvas(DEMO.app, ['whoami', '--as', DEMO.sam, '-o', 'json']), 'whoami.schema.json') as { caller: unknown };
    expect(acting.caller).not.toBeNull();
  });

  it('get: a query, one record, an expanded lookup, ndjson rows; --formatted keeps annotations', async () => {
    const rows = expectJson(await dvas(DEMO.admin, ['get', 'accounts', '--top', '2', '-o', 'json']), 'get.schema.json') as Array<{ accountid: string }>;
    expectJson(await dvas(DEMO.admin, ['get', 'accounts', rows[0]?.accountid ?? '', '-o', 'json']), 'get.schema.json');
    expectJson(await dvas(DEMO.admin, ['get', 'contacts', '--top', '2', '--expand', 'parentcustomerid_account($select=name)', '-o', 'json']), 'get.schema.json');
    expectNdjson(await dvas(DEMO.admin, ['get', 'accounts', '--top', '2', '-o', 'ndjson']), 'get.schema.json#/$defs/row');
    const formatted = await dvas(DEMO.admin, ['get', 'accounts', '--top', '2', '--formatted', '-o', 'json']);
    expectJson(formatted, 'get.schema.json#/$defs/formatted');
    // Not vacuous: the default contract is that annotations are gone, so this output breaks it.
    expect(problems(validatorOf(ajv, 'get.schema.json'), formatted.json())).not.toEqual([]);
  });

  it('get --fetchxml: rows with linked columns (alias.column), and aggregate rows', async () => {
    const joined = `<fetch top='3'><entity name='contact'><attribute name='fullname'/><link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><attribute name='name'/></link-entity></entity></fetch>`;
    const rows = expectJson(await dvas(DEMO.admin, ['get', 'contacts', '--fetchxml', '-', '-o', 'json'], { stdin: joined }), 'get.schema.json') as Array<Record<string, unknown>>;
    expect(rows[0]).toHaveProperty(['a.name']);
    const aggregate = `<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`;
    expectJson(await dvas(DEMO.admin, ['get', 'accounts', '--fetchxml', '-', '-o', 'json'], { stdin: aggregate }), 'get.schema.json');
  });

  it('create, and create --as --return (who created it, and the row)', async () => {
    expectJson(await dvas(DEMO.app, ['create', 'accounts', '--data', '{"name":"Contract Ltd"}', '-o', 'json']), 'create.schema.json');
    const created = expectJson(await dvas(DEMO.app, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"Contract Sales"}', '--return', '-o', 'json']), 'create.schema.json');
    expect(created).toHaveProperty('createdbyname', 'Sam Sales');
    expect(created).toHaveProperty('record');
  });

  it('compare: rows only one user sees, and a side refused the query', async () => {
    expectJson(await dvas(DEMO_APP.clientId, ['compare', 'accounts', DEMO.sam, '--select', 'name', '-o', 'json']), 'compare.schema.json');
    expectJson(await dvas(DEMO_APP.clientId, ['compare', 'teams', DEMO.sam, DEMO.admin, '-o', 'json']), 'compare.schema.json');
  });

  it('who-can, with and without --record', async () => {
    expectJson(await dvas(DEMO_APP.clientId, ['who-can', 'create', 'accounts', '-o', 'json']), 'who-can.schema.json');
    expectJson(await dvas(DEMO_APP.clientId, ['who-can', 'read', 'accounts', '--record', "accountnumber='ACC-002'", '-o', 'json']), 'who-can.schema.json');
    expectNdjson(await dvas(DEMO_APP.clientId, ['who-can', 'write', 'accounts', '--record', "accountnumber='ACC-006'", '-o', 'ndjson']), 'who-can.schema.json#/items');
  });

  it('roles: direct and through a team, as json and ndjson', async () => {
    expectJson(await dvas(DEMO.app, ['roles', DEMO.sam, '-o', 'json']), 'roles.schema.json');
    const team = expectJson(await dvas(DEMO.app, ['roles', DEMO.tess, '-o', 'json']), 'roles.schema.json') as Array<{ assignment: string }>;
    expect(team.map((role) => role.assignment)).toContain('team');
    expectNdjson(await dvas(DEMO.app, ['roles', DEMO.tess, '-o', 'ndjson']), 'roles.schema.json#/items');
    expectJson(await dvas(DEMO.app, ['roles', DEMO.tess, '--privileges', '-o', 'json']), 'roles-privileges.schema.json');
    expectNdjson(await dvas(DEMO.app, ['roles', DEMO.sam, '--privileges', '--table', 'account', '-o', 'ndjson']), 'roles-privileges.schema.json#/items');
    expectJson(await dvas(DEMO.app, ['roles', '--as', DEMO.sam, '--effective', '-o', 'json']), 'roles-effective.schema.json');
    expectJson(await dvas(DEMO.app, ['roles', '--as', DEMO.tess, '--effective', '--table', 'account', '-o', 'json']), 'roles-effective.schema.json');
  });

  it('users: everyone (application, on-premises and disabled users among them) and a search', async () => {
    expectJson(await dvas(DEMO.app, ['users', '-o', 'json']), 'users.schema.json');
    expectJson(await dvas(DEMO.app, ['users', 'sam', '-o', 'json']), 'users.schema.json');
    expectNdjson(await dvas(DEMO.app, ['users', '-o', 'ndjson']), 'users.schema.json#/items');
  });

  it('profile add, set, list, show, use, remove; login and logout (device code, and a kind that needs none)', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1', DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
    const cli = (argv: string[]) => runCli([...argv, '-o', 'json'], { env });
    const url = emulator().url;
    expectJson(await cli(['profile', 'add', 'dev', '--url', url, '--auth', 'device-code', '--tenant', emulator().tenantId]), 'profile-add.schema.json');
    expectJson(await cli(['profile', 'add', 'app', '--url', url, '--auth', 'client-secret', '--client-id', DEMO_APP.clientId]), 'profile-add.schema.json');
    expectJson(await cli(['profile', 'list']), 'profile-list.schema.json');
    expectNdjson(await runCli(['profile', 'list', '-o', 'ndjson'], { env }), 'profile-list.schema.json#/items');
    expectJson(await cli(['profile', 'show']), 'profile-show.schema.json');
    expectJson(await cli(['profile', 'show', 'app']), 'profile-show.schema.json');
    expectJson(await cli(['profile', 'set', 'app', '--tenant', 'contoso.onmicrosoft.com']), 'profile-set.schema.json');
    const signedIn = expectJson(await cli(['login', '-p', 'dev']), 'login.schema.json');
    expect(signedIn).toMatchObject({ signedIn: true, username: DEMO.admin });
    expectJson(await cli(['login', '-p', 'app']), 'login.schema.json');
    expect(expectJson(await cli(['logout', '-p', 'dev']), 'logout.schema.json')).toMatchObject({ removed: true });
    expectJson(await cli(['logout', '-p', 'app']), 'logout.schema.json');
    expectJson(await cli(['profile', 'use', 'app']), 'profile-use.schema.json');
    expectJson(await cli(['profile', 'remove', 'app']), 'profile-remove.schema.json');
  });

  it('dvas emulator --json: its one line, with the limits, and with --profile and --no-limits', async () => {
    for (const args of [[], ['--no-limits', '--profile', 'emu']]) {
      const started = startDvas(['emulator', '--port', '0', '--json', ...args], { PATH: process.env.PATH ?? '', DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' });
      expectValid('emulator.schema.json', JSON.parse(await firstLine(started)));
      started.child.kill('SIGTERM');
      expect((await started.exited).code).toBe(0);
    }
  });

  it('row writes: update (and under --as with --return), delete', async () => {
    const id = (expectJson(await dvas(DEMO.app, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"Contract write"}', '-o', 'json']), 'create.schema.json') as { id: string }).id;
    expectJson(await dvas(DEMO.app, ['update', 'accounts', id, '--data', '{"telephone1":"555-0100"}', '-o', 'json']), 'update.schema.json');
    const updated = expectJson(await dvas(DEMO.app, ['update', 'accounts', id, '--as', DEMO.sam, '--return', '--data', '{"telephone1":"555-0101"}', '-o', 'json']), 'update.schema.json');
    expect(updated).toMatchObject({ modifiedbyname: 'Sam Sales', record: { telephone1: '555-0101' } });
    expectJson(await dvas(DEMO.admin, ['delete', 'accounts', id, '--yes', '-o', 'json']), 'delete.schema.json');
  });

  it('links: associate and disassociate, by GUID and by alternate key', async () => {
    const contact = (expectJson(await dvas(DEMO.admin, ['create', 'contacts', '--data', '{"lastname":"Contract link"}', '-o', 'json']), 'create.schema.json') as { id: string }).id;
    const args = ['contacts', contact, 'parentcustomerid_account', 'accounts', "accountnumber='ACC-001'", '-o', 'json'];
    expect(expectJson(await dvas(DEMO.admin, ['associate', ...args]), 'associate.schema.json')).toMatchObject({ id: contact, relatedId: null });
    expectJson(await dvas(DEMO.admin, ['disassociate', ...args]), 'disassociate.schema.json');
  });

  it('api: a single answer, and a collection gathered with --paginate', async () => {
    expectJson(await dvas(DEMO.admin, ['api', 'GET', 'WhoAmI', '-o', 'json']), 'api.schema.json');
    const merged = expectJson(await dvas(DEMO.admin, ['api', 'GET', 'accounts?$select=name', '-H', 'Prefer: odata.maxpagesize=4', '--paginate', '-o', 'json']), 'api.schema.json');
    expect(merged).not.toHaveProperty('@odata.nextLink');
  });

  it('errors: {"error":…} for a usage error, a missing table, a Dataverse refusal (code and status), and as ndjson', async () => {
    expectJson(await dvas(DEMO.app, ['get', 'accounts', '--top', 'many', '-o', 'json']), 'error.schema.json', ExitCode.Usage);
    expectJson(await dvas(DEMO.app, ['get', 'nosuchtable', '-o', 'json']), 'error.schema.json', ExitCode.NotFound);
    const denied = expectJson(await dvas(DEMO.riley, ['create', 'accounts', '--data', '{"name":"No"}', '-o', 'json']), 'error.schema.json', ExitCode.PrivilegeDenied);
    expect(denied).toMatchObject({ error: { code: '0x80040220', status: 403, diagnosis: { status: 'diagnosed' } } });
  });

  it('errors: the diagnosis of a denial, in each of its forms', async () => {
    const fourthCoffee = [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Fourth Coffee');
    const cases: Array<[string, string[], string]> = [
      // Both sides read through their roles, with the row they do not reach.
      [DEMO.app, ['update', 'accounts', String(fourthCoffee?.accountid), '--as', DEMO.sam, '--data', '{"telephone1":"1"}'], 'diagnosed'],
      // The signed-in identity lacks it, under --as.
      [DEMO.app, ['create', 'teams', '--as', DEMO.admin, '--data', '{"name":"x"}'], 'diagnosed'],
      // 0x8004A110, from the identity's own privileges.
      [DEMO.devon, ['whoami', '--as', `aad:${user(emulator(), DEMO.sam).azureactivedirectoryobjectid}`], 'diagnosed'],
      [DEMO.app, ['create', 'accounts', '--no-diagnose', '--as', DEMO.riley, '--data', '{"name":"x"}'], 'skipped'],
    ];
    for (const [who, argv, status] of cases) {
      const value = expectJson(await dvas(who, [...argv, '-o', 'json']), 'error.schema.json', ExitCode.PrivilegeDenied);
      expect(value).toMatchObject({ error: { diagnosis: { status } } });
    }
    expect(problems(validatorOf(ajv, 'error.schema.json'), { error: { code: null, message: 'x', hint: null, status: null, diagnosis: { status: 'unavailable', reason: 'Why.' } } })).toEqual([]);
    expect(problems(validatorOf(ajv, 'error.schema.json'), { error: { code: null, message: 'x', hint: null, status: null, diagnosis: { status: 'diagnosed' } } })).not.toEqual([]);
    expectNdjson(await runCli(['whoami', '-o', 'ndjson'], { env: { DVAS_CONFIG_DIR: newConfigDir() } }), 'error.schema.json', ExitCode.Config);
  });

  it('--dry-run -o json / ndjson: the lookups sent and the request not sent (a write, a read, and an offline lookup)', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir() };
    const create = expectJson(await dvas(DEMO.app, ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"Dry"}', '--dry-run', '-o', 'json'], { env }), 'dry-run.schema.json');
    expect(create).toMatchObject({ lookups: [{ method: 'GET' }, { method: 'GET' }], requests: [{ kind: 'operation', method: 'POST' }] });
    expectJson(await dvas(DEMO.app, ['get', 'accounts', '--top', '1', '--dry-run', '-o', 'json']), 'dry-run.schema.json');
    expectJson(await dvas(DEMO.app, ['delete', 'accounts', MISSING_ID, '--as', DEMO.sam, '--dry-run', '--offline', '-o', 'json']), 'dry-run.schema.json');
    expectNdjson(await dvas(DEMO.app, ['whoami', '--dry-run', '-o', 'ndjson']), 'dry-run.schema.json');
    const rows = JSON.stringify([{ name: 'Contract dry 1' }, { name: 'Contract dry 2', '@as': DEMO.sam }]);
    const bulk = expectJson(await dvas(DEMO.app, ['create', 'accounts', '--data', rows, '--dry-run', '-o', 'json']), 'dry-run.schema.json');
    expect(bulk).toMatchObject({ plan: { rows: 2, users: [{ user: null }, { user: DEMO.sam }] }, requests: [{ method: 'POST' }, { method: 'POST' }] });
    expect(problems(validatorOf(ajv, 'dry-run.schema.json'), { dryRun: true, offline: false, lookups: [], requests: [] })).not.toEqual([]);
  });

  it('create with many rows: the summary, and the report lines', async () => {
    const report = join(newConfigDir(), '..', 'report.ndjson');
    const rows = JSON.stringify([{ name: 'Contract bulk 1' }, { name: 'Contract bulk 2', '@as': DEMO.sam }]);
    const summary = expectJson(await dvas(DEMO.app, ['create', 'accounts', '--data', rows, '--report', report, '-o', 'json']), 'create-bulk.schema.json');
    expect(summary).toMatchObject({ rows: 2, created: 2 });
    const lines = readFileSync(report, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
    expectValid('create-bulk.schema.json#/$defs/reportHeader', lines[0]);
    for (const line of lines.slice(1)) expectValid('create-bulk.schema.json#/$defs/reportLine', line);
  });

  it('create with many rows: the summary and report lines docs/bulk-create.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'bulk-create.md'), 'utf8');
    const blocks = [...doc.matchAll(/```(json)?\n([\s\S]*?)```/g)].map((match) => ({ json: match[1] === 'json', text: match[2] ?? '' }));
    const summary = blocks.find((block) => block.json);
    expect(summary).toBeDefined();
    expectValid('create-bulk.schema.json', JSON.parse(summary?.text ?? ''));
    const report = blocks.find((block) => block.text.startsWith('{"report":"dvas-create"'));
    const lines = (report?.text ?? '').split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
    expect(lines.length).toBeGreaterThan(3);
    expectValid('create-bulk.schema.json#/$defs/reportHeader', lines[0]);
    for (const line of lines.slice(1)) expectValid('create-bulk.schema.json#/$defs/reportLine', line);
    const line = lines.at(-1) as Record<string, unknown>;
    expect(problems(validatorOf(ajv, 'create-bulk.schema.json#/$defs/reportRow'), { ...line, status: 'failed' })).not.toEqual([]);
    expect(problems(validatorOf(ajv, 'create-bulk.schema.json#/$defs/reportRow'), { ...line, status: 'done' })).not.toEqual([]);
  });

  it('the schemas are not vacuous: an unknown key or a wrong type breaks them', async () => {
    const whoami = (await dvas(DEMO.app, ['whoami', '-o', 'json'])).json() as Record<string, unknown>;
    expect(problems(validatorOf(ajv, 'whoami.schema.json'), { ...whoami, extra: 1 })).not.toEqual([]);
    expect(problems(validatorOf(ajv, 'whoami.schema.json'), { ...whoami, UserId: 'not-a-guid' })).not.toEqual([]);
    expect(problems(validatorOf(ajv, 'error.schema.json'), { error: { message: 'no code key' } })).not.toEqual([]);
  });

  it('every schema was checked against real output above', () => {
    expect(schemaFiles().filter((file) => !SHARED_SCHEMAS.includes(file) && !checked.has(file))).toEqual([]);
  });
});
