import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SeedError, startEmulator, type SeedDocument } from '../../src/emulator/index.js';
import { api, useEmulator, user } from '../helpers/emulator.js';

/** The seed format as docs/emulator-seed.md documents it, through the example it ships. */
const EXAMPLE = fileURLToPath(new URL('../../docs/examples/seed.json', import.meta.url));
const example = (): SeedDocument => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as SeedDocument;

const APP = 'integration@fabrikam.example';
const NORTHWIND_PROJECT = '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d';

const fabrikam = useEmulator({ seedFile: EXAMPLE });

function rowId(table: string, name: string): string {
  const definition = fabrikam().core.metadata.table(table);
  for (const row of fabrikam().core.store.rows(table).values()) {
    if (definition && row[definition.primaryNameAttribute] === name) return String(row[definition.primaryIdAttribute]);
  }
  throw new Error(`no ${table} ${name}`);
}

describe('docs/examples/seed.json', () => {
  it('serves the organisation the file declares: ids, tenant, users (an on-premises one without object id)', () => {
    expect(fabrikam().tenantId).toBe('a6b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d');
    expect(fabrikam().organizationId).toBe('5e1d0c3a-7b2f-4c66-9f0e-2a4b6c8d0e10');
    expect(fabrikam().users.map((entry) => entry.fullname).sort()).toEqual([
      'Casey Consultant',
      'Drew Departed',
      'Fabrikam Integration',
      'Morgan Manager',
      'Pat OnPrem',
    ]);
    expect(user(fabrikam(), APP)).toMatchObject({ systemuserid: '0d9a5b1e-3c7f-4e2a-8b6d-1f0e2d3c4b5a', applicationid: '3f2e1d0c-9b8a-4766-a554-433221100fed' });
    expect(user(fabrikam(), 'casey@fabrikam.example').azureactivedirectoryobjectid).toBe('c0a5e000-1111-4222-8333-444455556666');
    expect(user(fabrikam(), 'pat@fabrikam.example')).toMatchObject({ azureactivedirectoryobjectid: null, domainname: 'FABRIKAM\\pat' });
    expect(user(fabrikam(), 'drew@fabrikam.example').isdisabled).toBe(true);
  });

  it('the application user signs in and WhoAmI answers for it', async () => {
    const response = await api(fabrikam(), 'GET', 'WhoAmI', { as: APP });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe('0d9a5b1e-3c7f-4e2a-8b6d-1f0e2d3c4b5a');
    expect(response.json.OrganizationId).toBe('5e1d0c3a-7b2f-4c66-9f0e-2a4b6c8d0e10');
  });

  it('the on-premises user is impersonated by systemuserid, the disabled one is refused', async () => {
    const pat = user(fabrikam(), 'pat@fabrikam.example');
    const asPat = await api(fabrikam(), 'GET', 'WhoAmI', { as: APP, headers: { MSCRMCallerID: pat.systemuserid } });
    expect(asPat.json.UserId).toBe(pat.systemuserid);
    const asDrew = await api(fabrikam(), 'GET', 'WhoAmI', { as: APP, headers: { MSCRMCallerID: user(fabrikam(), 'drew@fabrikam.example').systemuserid } });
    expect(asDrew.status).toBe(403);
    expect(asDrew.json.error.code).toBe('0x80040225');
  });

  it('serves the custom table rows over HTTP, lookups included', async () => {
    const response = await api(fabrikam(), 'GET', 'new_projects?$select=new_name&$orderby=new_name', { as: APP });
    expect(response.status).toBe(200);
    expect(response.json.value.map((row: { new_name: string }) => row.new_name)).toEqual(['EMEA helpdesk', 'Importer audit', 'Northwind rollout']);
    const one = await api(fabrikam(), 'GET', `new_projects(${NORTHWIND_PROJECT})`, { as: APP });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      new_projectid: NORTHWIND_PROJECT,
      new_name: 'Northwind rollout',
      new_budget: 120000,
      new_active: true,
      new_priority: 3,
      _new_accountid_value: rowId('account', 'Northwind Traders'),
      _ownerid_value: user(fabrikam(), 'morgan@fabrikam.example').systemuserid,
    });
  });

  it('a lookup from one custom table to another resolves by name and by id', async () => {
    const response = await api(fabrikam(), 'GET', 'new_timeentries?$select=new_name,_new_projectid_value&$orderby=new_name', { as: APP });
    expect(response.status).toBe(200);
    expect(response.json.value.map((row: { new_name: string; _new_projectid_value: string }) => [row.new_name, row._new_projectid_value])).toEqual([
      ['Kick-off workshop', rowId('new_project', 'EMEA helpdesk')],
      ['Site survey', NORTHWIND_PROJECT],
    ]);
  });

  it('describes the custom table in EntityDefinitions', async () => {
    const response = await api(
      fabrikam(),
      'GET',
      "EntityDefinitions(LogicalName='new_project')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ObjectTypeCode",
      { as: APP },
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      LogicalName: 'new_project',
      EntitySetName: 'new_projects',
      PrimaryIdAttribute: 'new_projectid',
      PrimaryNameAttribute: 'new_name',
      ObjectTypeCode: 10000,
    });
  });

  it('creates custom rows, binding the lookup', async () => {
    const account = rowId('account', 'Wide World Importers');
    const response = await api(fabrikam(), 'POST', 'new_projects', {
      as: APP,
      headers: { Prefer: 'return=representation' },
      body: { new_name: 'Importer phase 2', 'new_accountid@odata.bind': `/accounts(${account})` },
    });
    expect(response.status).toBe(201);
    expect(response.json._new_accountid_value).toBe(account);
  });

  it('a table declared with supportsCreateMultiple: false refuses CreateMultiple as the service does', async () => {
    const response = await api(fabrikam(), 'POST', 'new_timeentries/Microsoft.Dynamics.CRM.CreateMultiple', {
      as: APP,
      body: { Targets: [{ '@odata.type': 'Microsoft.Dynamics.CRM.new_timeentry', new_name: 'Batch entry' }] },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040800');
    expect(response.json.error.message).toContain("The 'CreateMultiple' method does not support entities of type 'new_timeentry'.");
  });

  it('roles carry their depths: privilege names come from the schema name', async () => {
    const morgan = user(fabrikam(), 'morgan@fabrikam.example');
    const response = await api(
      fabrikam(),
      'GET',
      `systemusers(${morgan.systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1)?@p1=${encodeURIComponent('["prvReadnew_Project","prvCreatenew_Project","prvReadnew_TimeEntry"]')}`,
      { as: APP },
    );
    expect(response.json.RolePrivileges.map((entry: { PrivilegeName: string; Depth: string }) => [entry.PrivilegeName, entry.Depth])).toEqual([
      ['prvCreatenew_Project', 'Local'],
      ['prvReadnew_Project', 'Deep'],
      ['prvReadnew_TimeEntry', 'Deep'],
    ]);
  });

  it("a team's Local role reaches the team's business unit only; Deep reaches the child unit", async () => {
    const casey = user(fabrikam(), 'casey@fabrikam.example');
    const morgan = user(fabrikam(), 'morgan@fabrikam.example');
    const accessOf = async (who: string, project: string) =>
      (
        await api(
          fabrikam(),
          'GET',
          `systemusers(${who})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'new_projects(${rowId('new_project', project)})'}`,
          { as: APP },
        )
      ).json.AccessRights;
    expect(await accessOf(casey.systemuserid, 'EMEA helpdesk')).toBe('ReadAccess, AppendToAccess');
    expect(await accessOf(casey.systemuserid, 'Northwind rollout')).toBe('None');
    expect(await accessOf(morgan.systemuserid, 'EMEA helpdesk')).toBe('ReadAccess');
    expect(await accessOf(morgan.systemuserid, 'Importer audit')).toBe('None');
  });
});

describe('docs/emulator-seed.md', () => {
  it('embeds the example file verbatim, so the documented example is the tested one', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/emulator-seed.md', import.meta.url)), 'utf8');
    const block = /## Complete example[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block as string)).toEqual(example());
  });
});

describe('bad seeds: one clear SeedError sentence each', () => {
  const cases: Array<[string, (seed: SeedDocument) => void, RegExp]> = [
    ['an unknown role', (seed) => void at(at(seed.users)[1]).roles?.push('Chief Wizard'), /names role 'Chief Wizard', which the seed does not declare/],
    ['an unknown role on a team', (seed) => void at(at(seed.teams)[0]).roles?.push('Chief Wizard'), /Team 'EMEA Consultants' names role 'Chief Wizard'/],
    ['an unknown business unit', (seed) => void (at(at(seed.users)[1]).businessUnit = 'Atlantis'), /names business unit 'Atlantis', which the seed does not declare/],
    ['two roots', (seed) => void at(seed.businessUnits).push({ name: 'Second Root' }), /exactly one root business unit.*it has 2/],
    ['a bad depth', (seed) => void Object.assign(at(at(seed.roles)[2]).privileges, { prvReadAccount: 'Everywhere' }), /gives 'prvReadAccount' the depth 'Everywhere'; use Basic, Local, Deep or Global/],
    ['an unknown privilege', (seed) => void Object.assign(at(at(seed.roles)[2]).privileges, { prvReadSpaceship: 'Global' }), /names privilege 'prvReadSpaceship', which does not exist/],
    ['a bad GUID', (seed) => void (at(at(seed.users)[1]).id = 'not-a-guid'), /'not-a-guid' is not a GUID/],
    ['an unknown column', (seed) => void (at(at(at(seed.rows).account)[0]).new_colour = 'red'), /has column 'new_colour', which table 'account' does not have/],
    ['rows for an unknown table', (seed) => void (at(seed.rows).new_spaceship = [{ name: 'x' }]), /rows for table 'new_spaceship', which does not exist/],
    [
      'a custom lookup targeting an unknown table',
      (seed) => void at(at(seed.tables)[1]).columns.push({ name: 'new_vehicleid', type: 'Lookup', targets: ['new_vehicle'] }),
      /Lookup column 'new_vehicleid' of 'new_timeentry' targets table 'new_vehicle', which does not exist/,
    ],
    ['a lookup row naming a row that is not seeded', (seed) => void (at(at(at(seed.rows).new_timeentry)[0]).new_projectid = { table: 'new_project', name: 'Nope' }), /names new_project 'Nope', which is not seeded before it/],
    ['an owner that is not declared', (seed) => void (at(at(at(seed.rows).account)[0]).$owner = 'ghost@fabrikam.example'), /names user 'ghost@fabrikam.example', which the seed does not declare/],
    ['a misspelt top-level key', (seed) => void Object.assign(seed, { user: [] }), /The seed has an unknown key 'user'; the keys are organization, businessUnits, roles, users, teams, tables, keys, rows, shares\./],
    ['a collection that is not an array', (seed) => void Object.assign(seed, { users: { fullname: 'x' } }), /"users" must be an array/],
  ];

  it.each(cases)('%s', async (_label, mutate, message) => {
    const seed = example();
    mutate(seed);
    const failure = await startEmulator({ seed }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SeedError);
    expectOneSentence((failure as SeedError).message, message);
  });

  it('an unreadable file', async () => {
    const failure = await startEmulator({ seedFile: join(tmpdir(), 'dvas-no-such-dir', 'seed.json') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SeedError);
    expectOneSentence((failure as SeedError).message, /^Cannot read the seed file .*seed\.json: ENOENT\.$/);
  });

  it('a file that is not valid JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dvas-seed-')), 'seed.json');
    writeFileSync(file, '{ "businessUnits": [ { "name": "Oops" }, ] ');
    const failure = await startEmulator({ seedFile: file }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SeedError);
    expectOneSentence((failure as SeedError).message, /^The seed file .*seed\.json is not valid JSON: /);
  });
});

describe('custom tables named like the properties every JavaScript object has', () => {
  const odd = useEmulator({
    seed: {
      users: [{ fullname: 'Odd Admin', email: 'odd@example.test', roles: ['Odd'] }],
      roles: [{ name: 'Odd', privileges: { prvCreateconstructor: 'Global', prvReadconstructor: 'Global', prvDeleteconstructor: 'Global' } }],
      tables: [{ logicalName: 'constructor', columns: [{ name: 'name', type: 'String' }] }],
    },
  });

  it('are created, read and deleted like any other table', async () => {
    const created = await api(odd(), 'POST', 'constructors', { as: 'odd@example.test', headers: { Prefer: 'return=representation' }, body: { name: 'x' } });
    expect(created.status).toBe(201);
    const read = await api(odd(), 'GET', `constructors(${created.json.constructorid})?$select=name`, { as: 'odd@example.test' });
    expect(read.json.name).toBe('x');
    expect((await api(odd(), 'DELETE', `constructors(${created.json.constructorid})`, { as: 'odd@example.test' })).status).toBe(204);
  });
});

/** The example's parts exist; a missing one is a broken test, said plainly. */
function at<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('The example seed lacks a part this test changes.');
  return value;
}

function expectOneSentence(message: string, pattern: RegExp): void {
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
  expect(message).toMatch(/[.]$/);
}
