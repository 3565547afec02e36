import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * PATCH (an upsert unless If-Match / If-None-Match narrow it) and DELETE, with the conditional
 * headers of perform-conditional-operations-using-web-api and the answers of docs/dataverse-web-api.md §4.1.
 */
const emulator = useEmulator();

const store = () => emulator().core.store;
const etagOf = (id: string) => `W/"${String(store().get('account', id)?.versionnumber)}"`;

async function newAccount(name: string): Promise<string> {
  const id = randomUUID();
  const response = await api(emulator(), 'POST', 'accounts', { body: { accountid: id, name } });
  expect(response.status).toBe(204);
  return id;
}

describe('PATCH', () => {
  it('updates an existing row: 204 with OData-EntityId', async () => {
    const id = await newAccount('Patch Me');
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Patched', numberofemployees: 3 } });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(response.headers.get('odata-entityid')).toBe(`${emulator().apiUrl}accounts(${id})`);
    expect(store().get('account', id)).toMatchObject({ name: 'Patched', numberofemployees: 3 });
  });

  it('is an upsert by default: a missing row is created with the URL\'s id', async () => {
    const id = randomUUID();
    const before = store().rows('account').size;
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Upserted' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('odata-entityid')).toBe(`${emulator().apiUrl}accounts(${id})`);
    expect(store().rows('account').size).toBe(before + 1);
    expect(store().get('account', id)).toMatchObject({ name: 'Upserted', statecode: 0, statuscode: 1 });
  });

  it('with Prefer: return=representation answers 200 with the updated row (201 when the upsert created it)', async () => {
    const id = await newAccount('Represent Me');
    const updated = await api(emulator(), 'PATCH', `accounts(${id})`, {
      body: { name: 'Represented Update' },
      headers: { Prefer: 'return=representation' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('preference-applied')).toBe('return=representation');
    expect(updated.headers.get('odata-entityid')).toBeNull();
    expect(updated.json).toMatchObject({ accountid: id, name: 'Represented Update', '@odata.etag': etagOf(id) });

    const createdId = randomUUID();
    const created = await api(emulator(), 'PATCH', `accounts(${createdId})`, {
      body: { name: 'Represented Upsert' },
      headers: { Prefer: 'return=representation' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ accountid: createdId, name: 'Represented Upsert' });
  });

  it('If-Match: * prevents the create: a missing row is 404 and nothing is created', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Never' }, headers: { 'If-Match': '*' } });
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${id} Does Not Exist` });
    expect(store().get('account', id)).toBeUndefined();
  });

  it('If-Match: * updates an existing row', async () => {
    const id = await newAccount('Match Any');
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Matched Any' }, headers: { 'If-Match': '*' } });
    expect(response.status).toBe(204);
    expect(store().get('account', id)?.name).toBe('Matched Any');
  });

  it('If-Match with the current ETag updates; with a stale one it is 412 and nothing changes', async () => {
    const id = await newAccount('Versioned');
    const stale = etagOf(id);
    const current = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Version Two' }, headers: { 'If-Match': stale } });
    expect(current.status).toBe(204);

    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Lost Update' }, headers: { 'If-Match': stale } });
    expect(response.status).toBe(412);
    expect(response.json.error).toEqual({
      code: '0x80060882',
      message: "The version of the existing record doesn't match the RowVersion property provided.",
    });
    expect(store().get('account', id)?.name).toBe('Version Two');
  });

  it('If-None-Match: * prevents the update: an existing row is 412 with the duplicate key message', async () => {
    const id = await newAccount('Create Only');
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Overwritten' }, headers: { 'If-None-Match': '*' } });
    expect(response.status).toBe(412);
    expect(response.json.error).toEqual({ code: '0x80040237', message: 'A record with matching key values already exists.' });
    expect(store().get('account', id)?.name).toBe('Create Only');
  });

  it('If-None-Match: * creates a missing row', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Created Only' }, headers: { 'If-None-Match': '*' } });
    expect(response.status).toBe(204);
    expect(store().get('account', id)?.name).toBe('Created Only');
  });

  it('If-None-Match: null (sent on every request) changes nothing: still an upsert', async () => {
    const id = await newAccount('Null Header');
    const update = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Null Header Updated' }, headers: { 'If-None-Match': 'null' } });
    expect(update.status).toBe(204);
    const createdId = randomUUID();
    const create = await api(emulator(), 'PATCH', `accounts(${createdId})`, { body: { name: 'Null Header Created' }, headers: { 'If-None-Match': 'null' } });
    expect(create.status).toBe(204);
    expect(store().get('account', id)?.name).toBe('Null Header Updated');
    expect(store().get('account', createdId)?.name).toBe('Null Header Created');
  });

  it('a primary key in the body that differs from the URL is 400', async () => {
    const id = await newAccount('Key Clash');
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { accountid: randomUUID(), name: 'Other' } });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x80040203', message: 'Entity Id must be the same as the value set in property bag.' });
    expect(store().get('account', id)?.name).toBe('Key Clash');
  });

  it('an invalid body changes nothing', async () => {
    const id = await newAccount('Stays Put');
    const version = store().get('account', id)?.versionnumber;
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Changed', numberofemployees: 'many' } });
    expect(response.status).toBe(400);
    expect(store().get('account', id)).toMatchObject({ name: 'Stays Put', versionnumber: version });
  });

  it('recomputes a contact\'s fullname when a name part changes', async () => {
    const id = randomUUID();
    await api(emulator(), 'POST', 'contacts', { body: { contactid: id, firstname: 'Alan', lastname: 'Smith' } });
    await api(emulator(), 'PATCH', `contacts(${id})`, { body: { lastname: 'Turing' } });
    expect(store().get('contact', id)?.fullname).toBe('Alan Turing');
  });

  it.each([
    ['nav@odata.bind: null', { 'parentcustomerid_account@odata.bind': null }],
    ['nav: null', { parentcustomerid_account: null }],
  ])('clears a lookup with %s', async (_form, body) => {
    const account = await newAccount('Former Employer');
    const id = randomUUID();
    await api(emulator(), 'POST', 'contacts', {
      body: { contactid: id, lastname: 'Leaver', 'parentcustomerid_account@odata.bind': `/accounts(${account})` },
    });
    expect(store().get('contact', id)?.parentcustomerid).toEqual({ table: 'account', id: account });
    const response = await api(emulator(), 'PATCH', `contacts(${id})`, { body });
    expect(response.status).toBe(204);
    expect(store().get('contact', id)?.parentcustomerid).toBeNull();
  });
});

describe('DELETE', () => {
  it('deletes a row: 204, no body', async () => {
    const id = await newAccount('Delete Me');
    const response = await api(emulator(), 'DELETE', `accounts(${id})`, { as: DEMO.admin });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(response.headers.get('odata-version')).toBe('4.0');
    expect(store().get('account', id)).toBeUndefined();
  });

  it('a missing row is 404', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'DELETE', `accounts(${id})`, { as: DEMO.admin });
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${id} Does Not Exist` });
  });

  it('honours If-Match: a stale ETag is 412 and the row stays; the current one deletes', async () => {
    const id = await newAccount('Conditional Delete');
    const stale = etagOf(id);
    await api(emulator(), 'PATCH', `accounts(${id})`, { body: { name: 'Conditional Delete 2' } });
    const refused = await api(emulator(), 'DELETE', `accounts(${id})`, { as: DEMO.admin, headers: { 'If-Match': stale } });
    expect(refused.status).toBe(412);
    expect(refused.json.error.code).toBe('0x80060882');
    expect(store().get('account', id)).toBeDefined();
    const deleted = await api(emulator(), 'DELETE', `accounts(${id})`, { as: DEMO.admin, headers: { 'If-Match': etagOf(id), 'If-None-Match': 'null' } });
    expect(deleted.status).toBe(204);
    expect(store().get('account', id)).toBeUndefined();
  });

  it('PATCH on a table without the message answers 0x80040800 before reading the body, as create does', async () => {
    const privilege = [...store().rows('privilege').values()][0];
    const id = String(privilege?.privilegeid);
    const before = JSON.stringify(store().get('privilege', id));
    for (const rawBody of ['{"name": "Broken', '{"nosuchcolumn": 1}', '{"name": "prvRenamed"}']) {
      const response = await api(emulator(), 'PATCH', `privileges(${id})`, { as: DEMO.admin, rawBody });
      expect(response.status).toBe(400);
      expect(response.json.error).toEqual({
        code: '0x80040800',
        message: "The 'Update' method does not support entities of type 'privilege'. MessageProcessorCache returned MessageProcessor.Empty.",
      });
    }
    // An upsert that would create asks for Create, refused the same way.
    const missing = await api(emulator(), 'PATCH', `privileges(${randomUUID()})`, { as: DEMO.admin, rawBody: '[1,2' });
    expect(missing.json.error.code).toBe('0x80040800');
    expect(missing.json.error.message).toContain("The 'Create' method");
    expect(JSON.stringify(store().get('privilege', id))).toBe(before);
  });

  it('PATCH with If-Match on a missing row of a table that cannot create is the 404 of an update', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'PATCH', `organizations(${id})`, { as: DEMO.admin, headers: { 'If-Match': '*' }, body: { name: 'x' } });
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe('0x80040217');
  });

  it('DELETE on a table without the message answers 0x80040800 before looking for the row', async () => {
    const response = await api(emulator(), 'DELETE', `systemusers(${randomUUID()})`, { as: DEMO.admin });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80040800');
  });

  it('users cannot be deleted, as in the service (they are disabled instead)', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const response = await api(emulator(), 'DELETE', `systemusers(${nora})`, { as: DEMO.admin });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80040800',
      message: "The 'Delete' method does not support entities of type 'systemuser'. MessageProcessorCache returned MessageProcessor.Empty.",
    });
    expect(store().get('systemuser', nora)).toBeDefined();
  });
});
