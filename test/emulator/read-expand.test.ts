import { describe, expect, it } from 'vitest';
import { deterministicGuid } from '../../src/emulator/ids.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const FOURTH_COFFEE = deterministicGuid('account:Fourth Coffee');
const ALPINE = deterministicGuid('account:Alpine Ski House');
const LITWARE = deterministicGuid('account:Litware, Inc.');

describe('$expand of single-valued navigation properties', () => {
  it('expands the audit lookups as in the impersonation read-back (docs/dataverse-web-api.md §1.4)', async () => {
    const admin = user(emulator(), DEMO.admin);
    const response = await api(
      emulator(),
      'GET',
      `accounts(${FOURTH_COFFEE})?$select=name&$expand=createdby($select=fullname),createdonbehalfby($select=fullname),owninguser($select=fullname)`,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#accounts(name,createdby(fullname),createdonbehalfby(fullname),owninguser(fullname))/$entity`,
      '@odata.etag': expect.any(String),
      name: 'Fourth Coffee',
      accountid: FOURTH_COFFEE,
      // Expanded users carry ownerid too (systemuser inherits it from principal); no @odata.etag.
      createdby: { fullname: 'Alex Admin', systemuserid: admin.systemuserid, ownerid: admin.systemuserid },
      createdonbehalfby: null,
      owninguser: { fullname: 'Alex Admin', systemuserid: admin.systemuserid, ownerid: admin.systemuserid },
    });
  });

  it('without a nested $select expands every column and writes nav() in the context', async () => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name&$expand=owningbusinessunit`);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#accounts(name,owningbusinessunit())/$entity`);
    expect(response.json.owningbusinessunit).toMatchObject({ name: 'Contoso', businessunitid: expect.any(String) });
  });

  it('ownerid follows the stored owner to a team', async () => {
    const response = await api(emulator(), 'GET', `accounts(${ALPINE})?$select=name&$expand=ownerid`);
    const teamId = deterministicGuid('team:Sales Team');
    expect(response.json.ownerid).toMatchObject({ name: 'Sales Team', teamid: teamId, ownerid: teamId });
  });

  it('expands a customer lookup through the navigation property of its table, and nests', async () => {
    const response = await api(
      emulator(),
      'GET',
      `contacts?$select=fullname&$filter=${encodeURIComponent("lastname eq 'McKay'")}&$expand=parentcustomerid_account($select=name;$expand=owninguser($select=fullname)),parentcustomerid_contact($select=fullname)`,
    );
    expect(response.json['@odata.context']).toBe(
      `${root()}$metadata#contacts(fullname,parentcustomerid_account(name,owninguser(fullname)),parentcustomerid_contact(fullname))`,
    );
    expect(response.json.value[0]).toMatchObject({
      fullname: 'Yvonne McKay',
      parentcustomerid_account: { name: 'Litware, Inc.', accountid: LITWARE, owninguser: { fullname: 'Sam Sales' } },
      parentcustomerid_contact: null,
    });
  });

  it('a related row the principal may not read comes out as null', async () => {
    // Riley Reader reads accounts organisation-wide but has no privilege on users.
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name&$expand=owninguser($select=fullname)`, { as: DEMO.riley });
    expect(response.status).toBe(200);
    expect(response.json.owninguser).toBeNull();
  });

  it('a nested $filter on a single-valued property gives null when the row does not match', async () => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name&$expand=owninguser($select=fullname;$filter=${encodeURIComponent("fullname eq 'Nobody'")})`);
    expect(response.json.owninguser).toBeNull();
  });
});

describe('$expand of collection-valued navigation properties', () => {
  it('1:N: rows with @odata.etag, the lookup to the parent, and <nav>@odata.nextLink', async () => {
    const response = await api(emulator(), 'GET', `accounts(${LITWARE})?$select=name&$expand=contact_customer_accounts($select=fullname)`);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#accounts(name,contact_customer_accounts(fullname))/$entity`);
    expect(response.json.contact_customer_accounts).toEqual([
      {
        '@odata.etag': expect.any(String),
        fullname: 'Yvonne McKay',
        _parentcustomerid_value: LITWARE,
        contactid: deterministicGuid('contact:Yvonne McKay'),
      },
    ]);
    expect(response.json['contact_customer_accounts@odata.nextLink']).toBe(`${root()}accounts(${LITWARE})/contact_customer_accounts?$select=fullname`);
    expect(Object.keys(response.json).slice(-2)).toEqual(['contact_customer_accounts', 'contact_customer_accounts@odata.nextLink']);
  });

  it('N:N with nested $select;$filter;$orderby;$top', async () => {
    const systemAdministrator = deterministicGuid('role:System Administrator');
    const response = await api(
      emulator(),
      'GET',
      `roles(${systemAdministrator})?$select=name&$expand=roleprivileges_association($select=name;$filter=${encodeURIComponent("startswith(name,'prvRead')")};$orderby=name desc;$top=2)`,
    );
    expect(response.status).toBe(200);
    expect(response.json.roleprivileges_association.map((row: { name: string }) => row.name)).toEqual(['prvReadUser', 'prvReadTeam']);
    expect(response.json['roleprivileges_association@odata.nextLink']).toBe(
      `${root()}roles(${systemAdministrator})/roleprivileges_association?$select=name&$filter=${encodeURIComponent("startswith(name,'prvRead')").replace(/%2C/g, ',').replace(/%27/g, "'").replace(/%20/g, ' ')}&$orderby=name desc&$top=2`,
    );
  });

  it('leaves out related rows the principal may not read', async () => {
    const devon = user(emulator(), DEMO.devon);
    // Devon's own roles: readable by the app, but Sam holds no privilege on roles at all.
    const asApp = await api(emulator(), 'GET', `systemusers(${devon.systemuserid})?$select=fullname&$expand=systemuserroles_association($select=name)`);
    expect(asApp.json.systemuserroles_association.map((row: { name: string }) => row.name)).toEqual(['Account Manager']);
    const asSam = await api(emulator(), 'GET', `systemusers(${devon.systemuserid})?$select=fullname&$expand=systemuserroles_association($select=name)`, { as: DEMO.sam });
    expect(asSam.status).toBe(200);
    expect(asSam.json.systemuserroles_association).toEqual([]);
  });

  it('expands inside each row of a collection query', async () => {
    const response = await api(emulator(), 'GET', `teams?$select=name&$orderby=name&$expand=teammembership_association($select=fullname),teamroles_association($select=name)`);
    expect(response.json.value.map((team: { name: string; teammembership_association: Array<{ fullname: string }>; teamroles_association: Array<{ name: string }> }) => [
      team.name,
      team.teammembership_association.map((member) => member.fullname),
      team.teamroles_association.map((role) => role.name),
    ])).toEqual([
      ['Auditors', ['Morgan Multi'], ['Delegate', 'dvas Integration']],
      ['Delegates', ['Devon Delegate'], ['Delegate']],
      ['Sales Team', ['Tess Team'], ['Salesperson']],
    ]);
  });
});

describe('$expand errors', () => {
  it.each([
    ['nosuchnav', '0x0', "Could not find a property named 'nosuchnav' on type 'Microsoft.Dynamics.CRM.account'."],
    ['name', '0x0', "Property 'name' on type 'Microsoft.Dynamics.CRM.account' is not a navigation property or complex property. Only navigation properties can be expanded."],
    ['owninguser($top=1)', '0x80060888', 'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.'],
    [
      'contact_customer_accounts($orderby=fullname;$expand=owninguser($select=fullname))',
      '0x80060888',
      'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
    ],
    ['contact_customer_accounts($skip=1)', '0x80060888', 'Skip Clause is not supported in CRM'],
    ['owninguser($select=Nope)', '0x0', "Could not find a property named 'Nope' on type 'Microsoft.Dynamics.CRM.systemuser'."],
    [
      Array.from({ length: 16 }, () => 'owninguser($select=fullname)').join(','),
      '0x8004430D',
      'Number of link entities in query exceeded maximum limit.',
    ],
  ])('$expand=%s is a 400', async (expand, code, message) => {
    const response = await api(emulator(), 'GET', `accounts?$select=name&$expand=${expand}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code, message } });
  });

  it('a deeply nested $expand is refused at the 16th join, not parsed to the bottom', async () => {
    const expand = `${'createdby($expand='.repeat(500)}createdby${')'.repeat(500)}`;
    const response = await api(emulator(), 'GET', `accounts?$select=name&$expand=${expand}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code: '0x8004430D', message: 'Number of link entities in query exceeded maximum limit.' } });
  });
});
