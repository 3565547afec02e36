import { describe, expect, it } from 'vitest';
import { deterministicGuid } from '../../src/emulator/ids.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const accountId = (name: string) => deterministicGuid(`account:${name}`);
const contactId = (name: string) => deterministicGuid(`contact:${name}`);
const FOURTH_COFFEE = accountId('Fourth Coffee');

describe('GET one row', () => {
  it('returns every column with @odata.context, @odata.etag and the ETag header', async () => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(response.headers.get('odata-version')).toBe('4.0');
    const body = response.json;
    expect(Object.keys(body).slice(0, 3)).toEqual(['@odata.context', '@odata.etag', 'accountid']);
    expect(body['@odata.context']).toBe(`${root()}$metadata#accounts/$entity`);
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(response.headers.get('etag')).toBe(body['@odata.etag']);
    expect(body).toMatchObject({
      accountid: FOURTH_COFFEE,
      name: 'Fourth Coffee',
      revenue: 1200000,
      industrycode: 33,
      _ownerid_value: user(emulator(), DEMO.admin).systemuserid,
      _createdonbehalfby_value: null,
      statecode: 0,
    });
    // Dates as the service writes them: to the second, with Z.
    expect(body.createdon).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body).not.toHaveProperty('ownerid');
  });

  it('$select returns the selected properties and the primary key, lookups by their _x_value name', async () => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name,_ownerid_value`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#accounts(name,_ownerid_value)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      name: 'Fourth Coffee',
      _ownerid_value: user(emulator(), DEMO.admin).systemuserid,
      accountid: FOURTH_COFFEE,
    });
  });

  it.each(['Name', 'ownerid', 'primarycontactid'])('an unknown property in $select (%s) is a 400 with code 0x0', async (property) => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name,${property}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: { code: '0x0', message: `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.account'.` },
    });
  });

  it('a missing row is the 404 0x80040217', async () => {
    const id = '00000000-0000-0000-0000-000000000001';
    const response = await api(emulator(), 'GET', `accounts(${id})`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: '0x80040217', message: `Entity 'account' With Id = ${id} Does Not Exist` } });
  });

  it('a row outside the principal\'s depth is the 403 PrivilegeDenied naming the user', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`, { as: DEMO.sam });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toMatch(new RegExp(`^Principal user \\(Id=${sam.systemuserid}, type=8, .* is missing prvReadAccount privilege`));
    // Inside the depth (Local: Sam's business unit) the same user reads fine.
    expect((await api(emulator(), 'GET', `accounts(${accountId('Fabrikam, Inc.')})?$select=name`, { as: DEMO.sam })).status).toBe(200);
  });

  it('under impersonation the intersection applies to a single row too', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`, { headers: { CallerObjectId: sam.azureactivedirectoryobjectid ?? '' } });
    expect(response.status).toBe(403);
    expect(response.json.error.message).toContain(`Principal user (Id=${sam.systemuserid}`);
  });

  it('checks existence before privilege, and query options before both', async () => {
    const missing = '00000000-0000-0000-0000-000000000002';
    expect((await api(emulator(), 'GET', `accounts(${missing})`, { as: DEMO.nora })).status).toBe(404);
    expect((await api(emulator(), 'GET', `accounts(${missing})?$select=Nope`, { as: DEMO.nora })).status).toBe(400);
    expect((await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})`, { as: DEMO.nora })).status).toBe(403);
  });

  it('If-None-Match with the current ETag answers 304; another ETag, null, or $expand answer 200', async () => {
    const first = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`);
    const etag = first.headers.get('etag') ?? '';
    const unchanged = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`, { headers: { 'If-None-Match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    for (const headers of [{ 'If-None-Match': 'W/"1"' }, { 'If-None-Match': 'null' }]) {
      expect((await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`, { headers })).status).toBe(200);
    }
    const expanded = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name&$expand=owninguser($select=fullname)`, {
      headers: { 'If-None-Match': etag },
    });
    expect(expanded.status).toBe(200);
    const annotated = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})?$select=name`, {
      headers: { 'If-None-Match': etag, Prefer: 'odata.include-annotations="*"' },
    });
    expect(annotated.status).toBe(200);
  });
});

describe('the key of a row', () => {
  const keyMismatch = (table: string) => ({
    code: '0x0',
    message: `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${table}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.${table}'.`,
  });

  it.each([
    ['bare', `accounts(${FOURTH_COFFEE})`],
    ['named by the primary id attribute', `accounts(accountid=${FOURTH_COFFEE})`],
    ['named with spaces and in upper case', `accounts( accountid = ${FOURTH_COFFEE.toUpperCase()} )`],
  ])('%s names the row', async (_label, path) => {
    const response = await api(emulator(), 'GET', path);
    expect(response.status).toBe(200);
    expect(response.json.accountid).toBe(FOURTH_COFFEE);
  });

  it.each([
    ['another column, even with a GUID value', `accounts(name=${FOURTH_COFFEE})`],
    ['a string-valued key on a column that is not a key', "accounts(name='Fourth Coffee')"],
    ['a multi-part alternate key', "contacts(firstname='Joe',emailaddress1='abc@example.com')"],
    ['the primary key beside another key', `accounts(accountid=${FOURTH_COFFEE},name='x')`],
  ])('%s is an alternate key the table does not define: 400', async (_label, path) => {
    const response = await api(emulator(), 'GET', path);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual(keyMismatch(path.startsWith('contacts') ? 'contact' : 'account'));
  });

  it('writes refuse an alternate key the same way, and change nothing', async () => {
    const patch = await api(emulator(), 'PATCH', `accounts(name=${FOURTH_COFFEE})`, { as: DEMO.admin, body: { name: 'Renamed' } });
    expect(patch.json.error).toEqual(keyMismatch('account'));
    const remove = await api(emulator(), 'DELETE', `accounts(name=${FOURTH_COFFEE})`, { as: DEMO.admin });
    expect(remove.json.error).toEqual(keyMismatch('account'));
    expect(emulator().core.store.get('account', FOURTH_COFFEE)?.name).toBe('Fourth Coffee');
  });

  it("users and teams are keyed by principal's ownerid; systemuserid= is an alternate key", async () => {
    const id = user(emulator(), DEMO.sam).systemuserid;
    const byOwnerId = await api(emulator(), 'GET', `systemusers(ownerid=${id})`);
    expect(byOwnerId.status).toBe(200);
    expect(byOwnerId.json.systemuserid).toBe(id);
    const bySystemUserId = await api(emulator(), 'GET', `systemusers(systemuserid=${id})`);
    expect(bySystemUserId.status).toBe(400);
    expect(bySystemUserId.json.error).toEqual(keyMismatch('systemuser'));
  });

  it('the related key of a $ref is read against the navigation target', async () => {
    const role = [...emulator().core.store.rows('role').values()][0];
    const path = `systemusers(${user(emulator(), DEMO.sam).systemuserid})/systemuserroles_association(name=${String(role?.roleid)})/$ref`;
    const response = await api(emulator(), 'DELETE', path, { as: DEMO.admin });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual(keyMismatch('role'));
  });
});

describe('GET one property or navigation property', () => {
  it('accounts(<id>)/name returns the value with the property context', async () => {
    const response = await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})/name`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ '@odata.context': `${root()}$metadata#accounts(${FOURTH_COFFEE})/name`, value: 'Fourth Coffee' });
  });

  it('a null property answers 204, and a lookup has no property of its bare name', async () => {
    expect((await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})/telephone1`)).status).toBe(204);
    const lookup = await api(emulator(), 'GET', `contacts(${contactId('Nancy Anderson')})/parentcustomerid`);
    expect(lookup.status).toBe(404);
    expect(lookup.json.error).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'parentcustomerid'." });
  });

  it('a property of a row the user cannot read is a 403, of a missing row a 404', async () => {
    expect((await api(emulator(), 'GET', `accounts(${FOURTH_COFFEE})/name`, { as: DEMO.sam })).status).toBe(403);
    expect((await api(emulator(), 'GET', 'accounts(00000000-0000-0000-0000-000000000003)/name')).status).toBe(404);
  });

  it('a single-valued navigation property returns the related row', async () => {
    const response = await api(emulator(), 'GET', `contacts(${contactId('Nancy Anderson')})/parentcustomerid_account?$select=name`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#accounts(name)/$entity`,
      '@odata.etag': expect.any(String),
      name: 'Fourth Coffee',
      accountid: FOURTH_COFFEE,
    });
    // Scott Konersmann has no company: nothing to return.
    expect((await api(emulator(), 'GET', `contacts(${contactId('Scott Konersmann')})/parentcustomerid_account`)).status).toBe(204);
  });
});
