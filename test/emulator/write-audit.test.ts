import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/emulator/store/types.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * The heart of impersonation (docs/dataverse-web-api.md §1.4): a row written as user B on behalf of caller
 * A has createdby/modifiedby/owner = B and createdonbehalfby/modifiedonbehalfby = A; without
 * impersonation (or with a header naming the caller itself) the on-behalf-of columns are null.
 * Owner assignment through ownerid@odata.bind needs Assign and an owner that can read the row.
 */
const emulator = useEmulator();

const ref = (id: string) => ({ table: 'systemuser', id });
const userId = (email: string) => user(emulator(), email).systemuserid;
const businessUnitOf = (email: string) => emulator().core.store.get('systemuser', userId(email))?.businessunitid;
const teamId = (name: string) => String([...emulator().core.store.rows('team').values()].find((team) => team.name === name)?.teamid);

/** Creates an account and returns the stored row (read from the store: the write side's own truth). */
async function createAccount(name: string, options: { as?: string; headers?: Record<string, string>; body?: Record<string, unknown> } = {}): Promise<Row> {
  const response = await api(emulator(), 'POST', 'accounts', {
    ...(options.as ? { as: options.as } : {}),
    headers: options.headers ?? {},
    body: { name, ...options.body },
  });
  expect(response.status, response.text).toBe(204);
  const id = /\(([0-9a-f-]{36})\)$/.exec(response.headers.get('odata-entityid') ?? '')?.[1] ?? '';
  const row = emulator().core.store.get('account', id);
  if (!row) throw new Error(`account ${id} was not stored`);
  return row;
}

describe('audit columns of a created row', () => {
  it.each([
    ['CallerObjectId', () => ({ CallerObjectId: String(user(emulator(), DEMO.sam).azureactivedirectoryobjectid) })],
    ['MSCRMCallerID', () => ({ MSCRMCallerID: userId(DEMO.sam) })],
  ])('created by the app impersonating Sam through %s: createdby, owner = Sam; createdonbehalfby = the app', async (_header, headers) => {
    const before = Date.now();
    const row = await createAccount(`Impersonated via ${_header}`, { headers: headers() });
    const sam = ref(userId(DEMO.sam));
    const app = ref(userId(DEMO.app));
    expect(row).toMatchObject({
      createdby: sam,
      modifiedby: sam,
      ownerid: sam,
      owninguser: sam,
      owningteam: null,
      owningbusinessunit: businessUnitOf(DEMO.sam),
      createdonbehalfby: app,
      modifiedonbehalfby: app,
      statecode: 0,
      statuscode: 1,
    });
    expect(typeof row.versionnumber).toBe('number');
    expect(Date.parse(String(row.createdon))).toBeGreaterThanOrEqual(before - 1000);
    expect(row.modifiedon).toBe(row.createdon);
  });

  it('without impersonation, createdonbehalfby and modifiedonbehalfby are null', async () => {
    const row = await createAccount('Not Impersonated');
    const app = ref(userId(DEMO.app));
    expect(row).toMatchObject({ createdby: app, modifiedby: app, ownerid: app, createdonbehalfby: null, modifiedonbehalfby: null });
  });

  it('an impersonation header naming the caller itself is no impersonation: createdonbehalfby stays null', async () => {
    const self = String(user(emulator(), DEMO.app).azureactivedirectoryobjectid);
    const row = await createAccount('Self Impersonated', { headers: { CallerObjectId: self } });
    expect(row).toMatchObject({ createdby: ref(userId(DEMO.app)), createdonbehalfby: null });
  });

  it('each row gets a new, increasing versionnumber', async () => {
    const first = await createAccount('Version One');
    const second = await createAccount('Version Two');
    expect(Number(second.versionnumber)).toBeGreaterThan(Number(first.versionnumber));
  });
});

describe('audit columns of an updated row', () => {
  it('modifiedby = the impersonated user and modifiedonbehalfby = the caller; the created columns stay', async () => {
    const created = await createAccount('Updated Under Impersonation', { as: DEMO.sam });
    const response = await api(emulator(), 'PATCH', `accounts(${String(created.accountid)})`, {
      headers: { MSCRMCallerID: userId(DEMO.sam), 'If-Match': '*' },
      body: { telephone1: '555-0100' },
    });
    expect(response.status).toBe(204);
    const row = emulator().core.store.get('account', String(created.accountid));
    expect(row).toMatchObject({
      telephone1: '555-0100',
      createdby: ref(userId(DEMO.sam)),
      createdonbehalfby: null,
      modifiedby: ref(userId(DEMO.sam)),
      modifiedonbehalfby: ref(userId(DEMO.app)),
    });
    expect(Number(row?.versionnumber)).toBeGreaterThan(Number(created.versionnumber));
  });

  it('without impersonation modifiedonbehalfby goes back to null', async () => {
    const created = await createAccount('Updated Plainly', { headers: { MSCRMCallerID: userId(DEMO.sam) } });
    await api(emulator(), 'PATCH', `accounts(${String(created.accountid)})`, { as: DEMO.admin, body: { telephone1: '1' } });
    expect(emulator().core.store.get('account', String(created.accountid))).toMatchObject({
      modifiedby: ref(userId(DEMO.admin)),
      modifiedonbehalfby: null,
      createdonbehalfby: ref(userId(DEMO.app)),
    });
  });
});

describe('owner assignment with ownerid@odata.bind', () => {
  it('assigns a user: ownerid, owninguser and the owner\'s business unit; createdby stays the writer', async () => {
    const row = await createAccount('Given To Sam', { as: DEMO.admin, body: { 'ownerid@odata.bind': `/systemusers(${userId(DEMO.sam)})` } });
    expect(row).toMatchObject({
      ownerid: ref(userId(DEMO.sam)),
      owninguser: ref(userId(DEMO.sam)),
      owningteam: null,
      owningbusinessunit: businessUnitOf(DEMO.sam),
      createdby: ref(userId(DEMO.admin)),
    });
  });

  it('assigns a team: owningteam and the team\'s business unit, no owninguser', async () => {
    const team = teamId('Sales Team');
    const row = await createAccount('Given To The Team', { as: DEMO.admin, body: { 'ownerid@odata.bind': `/teams(${team})` } });
    expect(row).toMatchObject({
      ownerid: { table: 'team', id: team },
      owninguser: null,
      owningteam: { table: 'team', id: team },
      owningbusinessunit: emulator().core.store.get('team', team)?.businessunitid,
    });
  });

  it("names users and teams by principal's key: ownerid= works, systemuserid= and teamid= are alternate keys (400)", async () => {
    const row = await createAccount('Given By Principal Key', { as: DEMO.admin, body: { 'ownerid@odata.bind': `/systemusers(ownerid=${userId(DEMO.sam)})` } });
    expect(row.ownerid).toEqual(ref(userId(DEMO.sam)));
    for (const url of [`/systemusers(systemuserid=${userId(DEMO.sam)})`, `/teams(teamid=${teamId('Sales Team')})`]) {
      const response = await api(emulator(), 'POST', 'accounts', { as: DEMO.admin, body: { name: 'Not Bound', 'ownerid@odata.bind': url } });
      expect(response.status).toBe(400);
      expect(response.json.error).toEqual({ code: '0x80090800', message: `Invalid url value '${url}' for lookup property 'ownerid'.` });
    }
  });

  it('binding the writer itself as owner needs no Assign privilege', async () => {
    const row = await createAccount('Owned By Its Writer', { body: { 'ownerid@odata.bind': `/systemusers(${userId(DEMO.app)})` } });
    expect(row.ownerid).toEqual(ref(userId(DEMO.app)));
  });

  it('giving a row to someone else without prvAssign is 403 PrivilegeDenied, and nothing is written', async () => {
    const before = emulator().core.store.rows('account').size;
    const response = await api(emulator(), 'POST', 'accounts', {
      body: { name: 'Not Assignable', 'ownerid@odata.bind': `/systemusers(${userId(DEMO.sam)})` },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('is missing prvAssignAccount privilege');
    expect(emulator().core.store.rows('account').size).toBe(before);
  });

  it('an owner who cannot read the table is 403 0x80040299 TargetPrincipalLacksReadPrivilege', async () => {
    const before = emulator().core.store.rows('account').size;
    const response = await api(emulator(), 'POST', 'accounts', {
      as: DEMO.admin,
      body: { name: 'Unreadable For Nora', 'ownerid@odata.bind': `/systemusers(${userId(DEMO.nora)})` },
    });
    expect(response.status).toBe(403);
    expect(response.json.error).toEqual({
      code: '0x80040299',
      message: 'Target user or team does not hold the required read privilege to own the record.',
    });
    expect(emulator().core.store.rows('account').size).toBe(before);
  });

  it('PATCH ownerid@odata.bind reassigns an existing row', async () => {
    const created = await createAccount('Reassigned Later', { as: DEMO.admin });
    const response = await api(emulator(), 'PATCH', `accounts(${String(created.accountid)})`, {
      as: DEMO.admin,
      body: { 'ownerid@odata.bind': `/systemusers(${userId(DEMO.riley)})` },
    });
    expect(response.status).toBe(204);
    expect(emulator().core.store.get('account', String(created.accountid))).toMatchObject({
      ownerid: ref(userId(DEMO.riley)),
      owninguser: ref(userId(DEMO.riley)),
      owningbusinessunit: businessUnitOf(DEMO.riley),
      createdby: ref(userId(DEMO.admin)),
    });
  });

  it('a team owner without the Read privilege is refused too', async () => {
    const response = await api(emulator(), 'POST', 'tasks', {
      as: DEMO.admin,
      body: { subject: 'For the delegates', 'ownerid@odata.bind': `/teams(${teamId('Delegates')})` },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040299');
  });
});

describe('reading the audit back as the reference writes it (§1.5)', () => {
  const EXPAND = '$select=name&$expand=createdby($select=fullname),createdonbehalfby($select=fullname),owninguser($select=fullname)';

  it.each([
    ['CallerObjectId', () => ({ CallerObjectId: String(user(emulator(), DEMO.sam).azureactivedirectoryobjectid) })],
    ['MSCRMCallerID', () => ({ MSCRMCallerID: userId(DEMO.sam) })],
  ])('created under %s: createdby and owninguser are Sam Sales, createdonbehalfby is the app', async (header, headers) => {
    const created = await api(emulator(), 'POST', 'accounts', { headers: headers(), body: { name: `Sample via ${header}` } });
    expect(created.status).toBe(204);
    const url = created.headers.get('odata-entityid') ?? '';
    const read = await api(emulator(), 'GET', `${url}?${EXPAND}`, { headers: headers() });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      name: `Sample via ${header}`,
      createdby: { fullname: 'Sam Sales', systemuserid: userId(DEMO.sam) },
      createdonbehalfby: { fullname: 'dvas demo app', systemuserid: userId(DEMO.app) },
      owninguser: { fullname: 'Sam Sales', systemuserid: userId(DEMO.sam) },
    });
  });

  it('created without impersonation: createdonbehalfby is null', async () => {
    const created = await api(emulator(), 'POST', 'accounts', { body: { name: 'Sample Plainly' } });
    const read = await api(emulator(), 'GET', `${created.headers.get('odata-entityid') ?? ''}?${EXPAND}`);
    expect(read.json).toMatchObject({ createdby: { fullname: 'dvas demo app' }, createdonbehalfby: null, owninguser: { fullname: 'dvas demo app' } });
  });
});
