import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Associating and disassociating through `$ref` (docs/dataverse-web-api.md §5.2): the N:N relationships that make
 * up the security model (from either side), the privileges they take, the Act on Behalf rule, and
 * the 1:N / N:1 forms. A role assigned through $ref takes effect on the very next request.
 */
const emulator = useEmulator();

const store = () => emulator().core.store;
const userId = (email: string) => user(emulator(), email).systemuserid;
const idOf = (table: string, name: string) => {
  const found = [...store().rows(table).values()].find((row) => row.name === name);
  if (!found) throw new Error(`no ${table} '${name}'`);
  return String(found[`${table}id`]);
};
const roleId = (name: string) => idOf('role', name);
const privilegeId = (name: string) => idOf('privilege', name);

function refPost(path: string, url: string, as: string = DEMO.admin) {
  return api(emulator(), 'POST', path, { as, body: { '@odata.id': url } });
}

async function canCreateAccount(email: string): Promise<boolean> {
  const response = await api(emulator(), 'POST', 'accounts', { as: email, body: { name: `Probe by ${email}` } });
  return response.status === 204;
}

describe('systemuserroles_association', () => {
  it('assigning a role takes effect on the next request, and removing it too', async () => {
    const nora = userId(DEMO.nora);
    const role = roleId('Account Manager');
    expect(await canCreateAccount(DEMO.nora)).toBe(false);

    const added = await refPost(`systemusers(${nora})/systemuserroles_association/$ref`, `${emulator().apiUrl}roles(${role})`);
    expect(added.status).toBe(204);
    expect(added.text).toBe('');
    expect(store().isAssociated('systemuserroles_association', nora, role)).toBe(true);
    expect(await canCreateAccount(DEMO.nora)).toBe(true);

    const removed = await api(emulator(), 'DELETE', `systemusers(${nora})/systemuserroles_association(${role})/$ref`, { as: DEMO.admin });
    expect(removed.status).toBe(204);
    expect(store().isAssociated('systemuserroles_association', nora, role)).toBe(false);
    expect(await canCreateAccount(DEMO.nora)).toBe(false);
  });

  it.each([
    ['relative', (id: string) => `roles(${id})`],
    ['relative with a slash', (id: string) => `/roles(${id})`],
    ['absolute under another API version', (id: string) => `${emulator().url}/api/data/v9.0/roles(${id})`],
  ])('takes a %s @odata.id', async (_form, url) => {
    const riley = userId(DEMO.riley);
    const role = roleId('Salesperson');
    expect((await refPost(`systemusers(${riley})/systemuserroles_association/$ref`, url(role))).status).toBe(204);
    expect(store().isAssociated('systemuserroles_association', riley, role)).toBe(true);
    await api(emulator(), 'DELETE', `systemusers(${riley})/systemuserroles_association(${role})/$ref`, { as: DEMO.admin });
  });

  it('works from the role\'s side too, and DELETE …/$ref?$id= removes it', async () => {
    const owen = userId(DEMO.owen);
    const role = roleId('Reader');
    const added = await refPost(`roles(${role})/systemuserroles_association/$ref`, `/systemusers(${owen})`);
    expect(added.status).toBe(204);
    expect(store().isAssociated('systemuserroles_association', owen, role)).toBe(true);

    const url = encodeURIComponent(`${emulator().apiUrl}systemusers(${owen})`);
    const removed = await api(emulator(), 'DELETE', `roles(${role})/systemuserroles_association/$ref?$id=${url}`, { as: DEMO.admin });
    expect(removed.status).toBe(204);
    expect(store().isAssociated('systemuserroles_association', owen, role)).toBe(false);
  });

  it('associating a pair twice is 412 0x80040237', async () => {
    const sam = userId(DEMO.sam);
    const response = await refPost(`systemusers(${sam})/systemuserroles_association/$ref`, `roles(${roleId('Salesperson')})`);
    expect(response.status).toBe(412);
    expect(response.json.error).toEqual({ code: '0x80040237', message: 'Cannot insert duplicate key.' });
  });

  it('removing a pair that is not associated is 204 and changes nothing', async () => {
    const nora = userId(DEMO.nora);
    const response = await api(emulator(), 'DELETE', `systemusers(${nora})/systemuserroles_association(${roleId('Reader')})/$ref`, { as: DEMO.admin });
    expect(response.status).toBe(204);
  });
});

describe('$ref errors', () => {
  it('a missing row on the URL\'s side is 404', async () => {
    const missing = randomUUID();
    const response = await refPost(`systemusers(${missing})/systemuserroles_association/$ref`, `roles(${roleId('Reader')})`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'systemuser' With Id = ${missing} Does Not Exist` });
  });

  it('a missing related row is 404 naming it', async () => {
    const missing = randomUUID();
    const response = await refPost(`systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, `roles(${missing})`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'role' With Id = ${missing} Does Not Exist` });
    const removed = await api(emulator(), 'DELETE', `systemusers(${userId(DEMO.nora)})/systemuserroles_association(${missing})/$ref`, { as: DEMO.admin });
    expect(removed.status).toBe(404);
  });

  it.each([
    ['names another table', () => `teams(${idOf('team', 'Sales Team')})`],
    ['is not a row URL', () => 'roles'],
  ])('an @odata.id that %s is 400', async (_case, url) => {
    const response = await refPost(`systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, url());
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80048d19');
  });

  it('a body without @odata.id is 400', async () => {
    const response = await api(emulator(), 'POST', `systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, { as: DEMO.admin, body: {} });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80048d19');
  });

  it('a DELETE on a collection without the related row is 400', async () => {
    const response = await api(emulator(), 'DELETE', `systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, { as: DEMO.admin });
    expect(response.status).toBe(400);
  });

  it('PUT on a collection-valued navigation is 405', async () => {
    const response = await api(emulator(), 'PUT', `systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, {
      as: DEMO.admin,
      body: { '@odata.id': `roles(${roleId('Reader')})` },
    });
    expect(response.status).toBe(405);
  });

  it('associating needs Write and Append on the left row: the app (read-only on users) is 403', async () => {
    const response = await refPost(`systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, `roles(${roleId('Reader')})`, DEMO.app);
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('is missing prvWriteUser privilege');
    expect(store().isAssociated('systemuserroles_association', userId(DEMO.nora), roleId('Reader'))).toBe(false);
  });
});

describe('the other security relationships', () => {
  it('teammembership_association: joining a team gives its roles on the next request', async () => {
    const nora = userId(DEMO.nora);
    const team = idOf('team', 'Sales Team');
    expect(await canCreateAccount(DEMO.nora)).toBe(false);
    expect((await refPost(`teams(${team})/teammembership_association/$ref`, `systemusers(${nora})`)).status).toBe(204);
    expect(store().isAssociated('teammembership_association', nora, team)).toBe(true);
    expect(await canCreateAccount(DEMO.nora)).toBe(true);
    expect((await api(emulator(), 'DELETE', `systemusers(${nora})/teammembership_association(${team})/$ref`, { as: DEMO.admin })).status).toBe(204);
    expect(await canCreateAccount(DEMO.nora)).toBe(false);
  });

  it('teamroles_association: a team\'s new role reaches its members', async () => {
    const team = idOf('team', 'Delegates');
    const role = roleId('Account Manager');
    expect((await refPost(`teams(${team})/teamroles_association/$ref`, `roles(${role})`)).status).toBe(204);
    expect(store().isAssociated('teamroles_association', team, role)).toBe(true);
    expect((await api(emulator(), 'DELETE', `roles(${role})/teamroles_association(${team})/$ref`, { as: DEMO.admin })).status).toBe(204);
    expect(store().isAssociated('teamroles_association', team, role)).toBe(false);
  });

  it('roleprivileges_association: a privilege joins the role at the widest depth it allows, and counts at once', async () => {
    const role = roleId('Reader');
    expect(await canCreateAccount(DEMO.riley)).toBe(false);
    const response = await refPost(`roles(${role})/roleprivileges_association/$ref`, `privileges(${privilegeId('prvCreateAccount')})`);
    expect(response.status).toBe(204);
    expect(store().associationData('roleprivileges_association', role, privilegeId('prvCreateAccount'))).toBe('Global');
    expect(await canCreateAccount(DEMO.riley)).toBe(true);
    const removed = await api(emulator(), 'DELETE', `roles(${role})/roleprivileges_association(${privilegeId('prvCreateAccount')})/$ref`, { as: DEMO.admin });
    expect(removed.status).toBe(204);
    expect(await canCreateAccount(DEMO.riley)).toBe(false);
  });

  it.each(['POST', 'DELETE'])('%s of prvActOnBehalfOfAnotherUser through roleprivileges_association is 403 0x8004Ed43', async (method) => {
    const role = roleId(method === 'POST' ? 'Reader' : 'Delegate');
    const privilege = privilegeId('prvActOnBehalfOfAnotherUser');
    const response =
      method === 'POST'
        ? await refPost(`roles(${role})/roleprivileges_association/$ref`, `privileges(${privilege})`)
        : await api(emulator(), 'DELETE', `roles(${role})/roleprivileges_association(${privilege})/$ref`, { as: DEMO.admin });
    expect(response.status).toBe(403);
    expect(response.json.error).toEqual({ code: '0x8004Ed43', message: 'Act on Behalf of Another User privilege cannot be added or removed.' });
    expect(store().isAssociated('roleprivileges_association', role, privilege)).toBe(method === 'DELETE');
  });

  it('deleting a role takes its grants away from its users', async () => {
    const created = await api(emulator(), 'POST', 'roles', { as: DEMO.admin, body: { name: 'Short Lived' }, headers: { Prefer: 'return=representation' } });
    expect(created.status).toBe(201);
    const role = String(created.json.roleid);
    await refPost(`roles(${role})/roleprivileges_association/$ref`, `privileges(${privilegeId('prvCreateAccount')})`);
    await refPost(`roles(${role})/roleprivileges_association/$ref`, `privileges(${privilegeId('prvReadAccount')})`);
    await refPost(`systemusers(${userId(DEMO.nora)})/systemuserroles_association/$ref`, `roles(${role})`);
    expect(await canCreateAccount(DEMO.nora)).toBe(true);
    expect((await api(emulator(), 'DELETE', `roles(${role})`, { as: DEMO.admin })).status).toBe(204);
    expect([...store().associated('systemuserroles_association', userId(DEMO.nora), true)]).not.toContain(role);
    expect(await canCreateAccount(DEMO.nora)).toBe(false);
  });
});

describe('1:N and N:1 references', () => {
  async function newContact(): Promise<string> {
    const id = randomUUID();
    await api(emulator(), 'POST', 'contacts', { body: { contactid: id, lastname: 'Referenced' } });
    return id;
  }
  const account = () => idOf('account', 'Coho Winery');

  it('PUT and DELETE on a single-valued navigation set and clear the lookup', async () => {
    const contact = await newContact();
    const put = await api(emulator(), 'PUT', `contacts(${contact})/parentcustomerid_account/$ref`, { body: { '@odata.id': `accounts(${account()})` } });
    expect(put.status).toBe(204);
    expect(store().get('contact', contact)).toMatchObject({
      parentcustomerid: { table: 'account', id: account() },
      modifiedby: { table: 'systemuser', id: userId(DEMO.app) },
    });
    const removed = await api(emulator(), 'DELETE', `contacts(${contact})/parentcustomerid_account/$ref`);
    expect(removed.status).toBe(204);
    expect(store().get('contact', contact)?.parentcustomerid).toBeNull();
  });

  it('POST and DELETE on a 1:N navigation set and clear the related row\'s lookup', async () => {
    const contact = await newContact();
    const added = await api(emulator(), 'POST', `accounts(${account()})/contact_customer_accounts/$ref`, { body: { '@odata.id': `contacts(${contact})` } });
    expect(added.status).toBe(204);
    expect(store().get('contact', contact)?.parentcustomerid).toEqual({ table: 'account', id: account() });
    const removed = await api(emulator(), 'DELETE', `accounts(${account()})/contact_customer_accounts(${contact})/$ref`);
    expect(removed.status).toBe(204);
    expect(store().get('contact', contact)?.parentcustomerid).toBeNull();
  });

  it('POST on a single-valued navigation is 405', async () => {
    const contact = await newContact();
    const response = await api(emulator(), 'POST', `contacts(${contact})/parentcustomerid_account/$ref`, { body: { '@odata.id': `accounts(${account()})` } });
    expect(response.status).toBe(405);
  });

  it('setting a lookup through $ref takes AppendTo on the bound row', async () => {
    const id = randomUUID();
    await api(emulator(), 'POST', 'contacts', { as: DEMO.sam, body: { contactid: id, lastname: 'Sam Contact' } });
    const response = await api(emulator(), 'PUT', `contacts(${id})/parentcustomerid_account/$ref`, {
      as: DEMO.sam,
      body: { '@odata.id': `accounts(${idOf('account', 'Fourth Coffee')})` },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.message).toContain('is missing prvAppendToAccount privilege');
  });
});
