import { describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { demoSeed } from '../../src/emulator/seed/demo.js';
import { DEMO, api, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { until } from '../helpers/until.js';

/**
 * BulkDelete (https://learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk):
 * 200 with a JobId; the job is an asyncoperation that runs by itself in the background, as the
 * caller, deleting the rows its QuerySet selects that the caller may delete.
 */
const BEA = 'bea.bulk@contoso.com';

/** The demo organisation, with a user (and the demo app) allowed to bulk-delete their own accounts. */
function seed(): SeedDocument {
  const demo = demoSeed();
  const bulkDeleter = {
    name: 'Bulk Deleter',
    privileges: {
      prvBulkDelete: 'Global',
      prvCreateAccount: 'Basic',
      prvReadAccount: 'Global',
      prvDeleteAccount: 'Basic',
      prvReadAsyncOperation: 'Basic',
      prvReadBulkDeleteOperation: 'Global',
    },
  } as const;
  return {
    ...demo,
    roles: [...(demo.roles ?? []), bulkDeleter],
    users: [
      ...(demo.users ?? []).map((entry) => (entry.email === DEMO.app ? { ...entry, roles: [...(entry.roles ?? []), 'Bulk Deleter'] } : entry)),
      { fullname: 'Bea Bulk', email: BEA, roles: ['Bulk Deleter'] },
    ],
  };
}

const emulator = useEmulator({ seed: seed() });

function query(entityName: string, conditions: unknown[] = [], extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': 'Microsoft.Dynamics.CRM.QueryExpression',
    EntityName: entityName,
    ColumnSet: { AllColumns: true },
    Distinct: false,
    Criteria: { FilterOperator: 'And', Conditions: conditions },
    ...extra,
  };
}

const equal = (attribute: string, value: string) => ({ AttributeName: attribute, Operator: 'Equal', Values: [{ Value: value, Type: 'System.String' }] });

function bulkDelete(querySet: unknown[], options: { as?: string; headers?: Record<string, string>; body?: Record<string, unknown> } = {}): Promise<ApiResponse> {
  return api(emulator(), 'POST', 'BulkDelete', {
    as: options.as ?? DEMO.admin,
    headers: options.headers ?? {},
    body: {
      QuerySet: querySet,
      JobName: 'Delete test rows',
      SendEmailNotification: false,
      ToRecipients: [],
      CCRecipients: [],
      RecurrencePattern: '',
      StartDateTime: new Date().toISOString(),
      ...options.body,
    },
  });
}

/** Polls the job as a client does until it has completed; returns the asyncoperation row. */
async function completed(jobId: string, as: string = DEMO.admin) {
  let job: ApiResponse | undefined;
  await until(async () => {
    job = await api(emulator(), 'GET', `asyncoperations(${jobId})?$select=name,operationtype,statecode,statuscode,startedon,completedon,_ownerid_value`, { as });
    return job.status === 200 && job.json.statecode === 3;
  }, `job ${jobId} completed`);
  return job?.json;
}

async function operationOf(jobId: string, as: string = DEMO.admin) {
  const found = await api(emulator(), 'GET', `bulkdeleteoperations?$filter=_asyncoperationid_value eq ${jobId}&$select=name,successcount,failurecount,statecode,statuscode,isrecurring`, { as });
  expect(found.status).toBe(200);
  expect(found.json.value).toHaveLength(1);
  return found.json.value[0];
}

async function createAccounts(names: string[], as: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const created = await api(emulator(), 'POST', 'accounts', { as, body: { name } });
    expect(created.status).toBe(204);
    ids.push(/\(([^)]+)\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1] ?? '');
  }
  return ids;
}

const accountNames = () => [...emulator().core.store.rows('account').values()].map((row) => String(row.name));

describe('BulkDelete', () => {
  it('answers the documented BulkDeleteResponse and deletes, in the background, the rows its query selects', async () => {
    const redmond = [...emulator().core.store.rows('account').values()].filter((row) => row.address1_city === 'Redmond').map((row) => row.name);
    expect(redmond.length).toBe(2);
    const response = await bulkDelete([query('account', [equal('address1_city', 'Redmond')])]);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'JobId']);
    expect(response.json['@odata.context']).toBe(`${emulator().apiUrl}$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse`);
    const jobId: string = response.json.JobId;
    expect(jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const job = await completed(jobId);
    expect(job).toMatchObject({ name: 'Delete test rows', operationtype: 13, statecode: 3, statuscode: 30, _ownerid_value: user(emulator(), DEMO.admin).systemuserid });
    expect(Date.parse(job.completedon)).toBeGreaterThanOrEqual(Date.parse(job.startedon));
    for (const name of redmond) expect(accountNames()).not.toContain(name);
    expect(accountNames()).toContain('Fourth Coffee');
    expect(await operationOf(jobId)).toMatchObject({ name: 'Delete test rows', successcount: 2, failurecount: 0, statecode: 3, statuscode: 30, isrecurring: false });
  });

  it("takes the body Microsoft's Python SDK sends for delete(ids, use_bulk_delete): typed ColumnSet, Criteria and an In on the id", async () => {
    const ids = await createAccounts(['Py Bulk 1', 'Py Bulk 2'], DEMO.admin);
    const typed = (type: string, body: Record<string, unknown>) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${type}`, ...body });
    const response = await bulkDelete([
      typed('QueryExpression', {
        EntityName: 'account',
        ColumnSet: typed('ColumnSet', { AllColumns: false, Columns: [] }),
        Criteria: typed('FilterExpression', {
          FilterOperator: 'And',
          Conditions: [typed('ConditionExpression', { AttributeName: 'accountid', Operator: 'In', Values: ids.map((id) => ({ Value: id, Type: 'System.Guid' })) })],
        }),
      }),
    ], { body: { StartDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } });
    expect(response.status).toBe(200);
    expect((await completed(response.json.JobId)).statuscode).toBe(30);
    for (const id of ids) expect(emulator().core.store.get('account', id)).toBeUndefined();
    expect(await operationOf(response.json.JobId)).toMatchObject({ successcount: 2, failurecount: 0 });
  });

  it('deletes only what the caller may delete: rows it can read but not delete are counted as failures and kept', async () => {
    const mine = await createAccounts(['Purge Bea 1', 'Purge Bea 2'], BEA);
    const admins = await createAccounts(['Purge Admin 1'], DEMO.admin);
    const response = await bulkDelete([query('account', [{ AttributeName: 'name', Operator: 'BeginsWith', Values: [{ Value: 'Purge', Type: 'System.String' }] }])], { as: BEA });
    expect(response.status).toBe(200);
    const job = await completed(response.json.JobId, BEA);
    expect(job.statuscode).toBe(30);
    for (const id of mine) expect(emulator().core.store.get('account', id)).toBeUndefined();
    expect(emulator().core.store.get('account', admins[0] as string)?.name).toBe('Purge Admin 1');
    expect(await operationOf(response.json.JobId, BEA)).toMatchObject({ successcount: 2, failurecount: 1 });
  });

  it('runs as the impersonated user: its job, its privileges, the caller recorded as on behalf of', async () => {
    const beas = await createAccounts(['Imp Bea'], BEA);
    const apps = await createAccounts(['Imp App'], DEMO.app);
    const response = await bulkDelete([query('account', [{ AttributeName: 'name', Operator: 'Like', Values: [{ Value: 'Imp %', Type: 'System.String' }] }])], {
      as: DEMO.app,
      headers: { CallerObjectId: String(user(emulator(), BEA).azureactivedirectoryobjectid) },
    });
    expect(response.status).toBe(200);
    const job = await completed(response.json.JobId);
    expect(job._ownerid_value).toBe(user(emulator(), BEA).systemuserid);
    const stored = emulator().core.store.get('asyncoperation', response.json.JobId);
    expect(stored?.createdonbehalfby).toEqual({ table: 'systemuser', id: user(emulator(), DEMO.app).systemuserid });
    expect(emulator().core.store.get('account', beas[0] as string)).toBeUndefined();
    // Bea's Basic Delete does not reach the app's row, whatever the app itself may delete.
    expect(emulator().core.store.get('account', apps[0] as string)?.name).toBe('Imp App');
  });

  it('is refused before any job exists without the BulkDelete privilege, or without Delete on the table', async () => {
    const before = emulator().core.store.rows('asyncoperation').size;
    const sam = await bulkDelete([query('account')], { as: DEMO.sam });
    expect(sam.status).toBe(403);
    expect(sam.json.error.message).toContain('is missing prvBulkDelete privilege');
    const contacts = await bulkDelete([query('contact')], { as: BEA });
    expect(contacts.status).toBe(403);
    expect(contacts.json.error.message).toContain('is missing prvDeleteContact privilege');
    expect(emulator().core.store.rows('asyncoperation').size).toBe(before);
  });

  it.each([
    ['no JobName', { JobName: undefined }, 400, "Required field 'JobName' is missing for RequestName='BulkDelete'"],
    ['an unknown parameter', { Nope: 1 }, 400, "The parameter 'Nope' in the request payload is not a valid parameter for the operation 'BulkDelete'."],
    ['an e-mail notification', { SendEmailNotification: true }, 501, "Not emulated: BulkDelete's SendEmailNotification"],
    ['a recurrence', { RecurrencePattern: 'FREQ=DAILY;INTERVAL=1;' }, 501, "Not emulated: BulkDelete's RecurrencePattern"],
    ['an import id', { SourceImportId: '00000000-0000-4000-8000-000000000001' }, 501, "Not emulated: BulkDelete's SourceImportId"],
    ['a StartDateTime that is no date', { StartDateTime: 'tomorrow' }, 400, "Cannot convert the literal 'tomorrow' to the expected type 'Edm.DateTimeOffset'."],
    ['an unknown option', { Options: { Faster: true } }, 400, "The property 'Faster' does not exist on type 'Microsoft.Dynamics.CRM.BulkDeleteOptions'."],
  ])('refuses %s, and makes no job', async (_what, body, status, message) => {
    const before = emulator().core.store.rows('asyncoperation').size;
    const response = await bulkDelete([query('account')], { body });
    expect(response.status).toBe(status);
    expect(response.json.error.message).toContain(message);
    expect(emulator().core.store.rows('asyncoperation').size).toBe(before);
  });

  it.each([
    ['an unknown table', [query('nosuch')], 400, '0x80041102'],
    ['an unknown column', [query('account', [equal('nosuchcolumn', 'x')])], 400, '0x80041103'],
    ['a table without Delete', [query('systemuser')], 400, '0x80040800'],
    ['an operator the emulator does not have', [query('account', [{ AttributeName: 'createdon', Operator: 'LastXDays', Values: [{ Value: '3', Type: 'System.Int32' }] }])], 501, '0x80040315'],
    ['a linked table', [query('account', [], { LinkEntities: [{ LinkToEntityName: 'contact' }] })], 501, '0x80040315'],
    ['a property QueryExpression does not have', [query('account', [], { Rows: 3 })], 400, '0x80048d19'],
    ['a value of the wrong type', [query('account', [{ AttributeName: 'numberofemployees', Operator: 'Equal', Values: [{ Value: 'many', Type: 'System.Int32' }] }])], 400, '0x80040203'],
  ])('refuses a QuerySet with %s', async (_what, querySet, status, code) => {
    const response = await bulkDelete(querySet);
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
  });

  it('nests filters with And and Or, and compares choices, numbers and nulls as SQL does', async () => {
    const ids = await createAccounts(['Nest A', 'Nest B', 'Nest C'], DEMO.admin);
    await api(emulator(), 'PATCH', `accounts(${ids[0]})`, { as: DEMO.admin, headers: { 'If-Match': '*' }, body: { numberofemployees: 5, industrycode: 33 } });
    await api(emulator(), 'PATCH', `accounts(${ids[1]})`, { as: DEMO.admin, headers: { 'If-Match': '*' }, body: { numberofemployees: 50 } });
    const criteria = {
      FilterOperator: 'And',
      Conditions: [{ AttributeName: 'name', Operator: 'In', Values: [{ Value: 'Nest A', Type: 'System.String' }, { Value: 'Nest B', Type: 'System.String' }, { Value: 'Nest C', Type: 'System.String' }] }],
      Filters: [
        {
          FilterOperator: 'Or',
          Conditions: [
            { AttributeName: 'industrycode', Operator: 'Equal', Values: [{ Value: 33, Type: 'System.Int32' }] },
            { AttributeName: 'numberofemployees', Operator: 'GreaterThan', Values: [{ Value: '10', Type: 'System.Int32' }] },
          ],
        },
      ],
    };
    const response = await bulkDelete([{ ...query('account'), Criteria: criteria }]);
    await completed(response.json.JobId);
    expect(emulator().core.store.get('account', ids[0] as string)).toBeUndefined();
    expect(emulator().core.store.get('account', ids[1] as string)).toBeUndefined();
    // Nest C has no employee count: GreaterThan is unknown on null, and the row stays.
    expect(emulator().core.store.get('account', ids[2] as string)?.name).toBe('Nest C');
  });

  it("the System Job's state and status definitions pair them as documented (In Progress is Locked, Failed is Completed)", async () => {
    const base = "EntityDefinitions(LogicalName='asyncoperation')/Attributes";
    const states = await api(emulator(), 'GET', `${base}/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`);
    const defaults = Object.fromEntries(states.json.value[0].OptionSet.Options.map((option: any) => [option.Value, option.DefaultStatus]));
    expect(defaults).toEqual({ 0: 0, 1: 10, 2: 20, 3: 30 });
    const statuses = await api(emulator(), 'GET', `${base}/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`);
    const stateOf = Object.fromEntries(statuses.json.value[0].OptionSet.Options.map((option: any) => [option.Value, option.State]));
    expect(stateOf).toEqual({ 0: 0, 10: 1, 20: 2, 21: 2, 22: 2, 30: 3, 31: 3, 32: 3 });
  });

  it('system jobs are made by the platform only, and are not cancelled through the emulator', async () => {
    const create = await api(emulator(), 'POST', 'asyncoperations', { as: DEMO.admin, body: { name: 'x' } });
    expect(create.status).toBe(400);
    expect(create.json.error.code).toBe('0x80040800');
    const [jobId] = emulator().core.store.rows('asyncoperation').keys();
    const cancel = await api(emulator(), 'PATCH', `asyncoperations(${jobId})`, { as: DEMO.admin, headers: { 'If-Match': '*' }, body: { statecode: 3, statuscode: 32 } });
    expect(cancel.status).toBe(501);
    expect(cancel.json.error.message).toContain('Not emulated: updating a system job');
  });
});

describe('BulkDelete on the emulator clock', () => {
  const clock = new TestClock();
  const timed = useEmulator({ seed: seed(), clock });

  it('waits until StartDateTime, then runs by itself whatever faults the Web API injects', async () => {
    const start = new Date(clock.now() + 3_600_000).toISOString();
    const response = await api(timed(), 'POST', 'BulkDelete', {
      as: DEMO.admin,
      body: { QuerySet: [query('account', [equal('accountnumber', 'ACC-001')])], JobName: 'Later', SendEmailNotification: false, ToRecipients: [], CCRecipients: [], StartDateTime: start },
    });
    expect(response.status).toBe(200);
    const jobId: string = response.json.JobId;
    await clock.sleeping();
    const waiting = await api(timed(), 'GET', `asyncoperations(${jobId})?$select=statecode,statuscode,postponeuntil`, { as: DEMO.admin });
    expect(waiting.json).toMatchObject({ statecode: 1, statuscode: 10, postponeuntil: start.replace(/\.\d{3}Z$/, 'Z') });
    const rows = () => [...timed().core.store.rows('account').values()].filter((row) => row.accountnumber === 'ACC-001');
    expect(rows()).toHaveLength(1);

    timed().setFaults('unavailable=1');
    await clock.advance(3_600_000);
    await until(() => timed().core.store.get('asyncoperation', jobId)?.statecode === 3, 'the job completed');
    expect(rows()).toHaveLength(0);
    const refused = await api(timed(), 'GET', `asyncoperations(${jobId})`, { as: DEMO.admin });
    expect(refused.status).toBe(503);
    timed().setFaults(undefined);
    const done = await api(timed(), 'GET', `asyncoperations(${jobId})?$select=statecode,statuscode,startedon`, { as: DEMO.admin });
    expect(done.json).toMatchObject({ statecode: 3, statuscode: 30 });
    expect(Date.parse(done.json.startedon)).toBeGreaterThanOrEqual(Date.parse(start) - 1000);
  });

  it('fails, deleting nothing, when the user who submitted it is disabled before it runs', async () => {
    const response = await api(timed(), 'POST', 'BulkDelete', {
      as: BEA,
      body: { QuerySet: [query('account')], JobName: 'Too late', SendEmailNotification: false, ToRecipients: [], CCRecipients: [], StartDateTime: new Date(clock.now() + 60_000).toISOString() },
    });
    expect(response.status).toBe(200);
    const before = timed().core.store.rows('account').size;
    const bea = user(timed(), BEA).systemuserid;
    const disable = await api(timed(), 'PATCH', `systemusers(${bea})`, { as: DEMO.admin, headers: { 'If-Match': '*' }, body: { isdisabled: true } });
    expect(disable.status).toBe(204);
    await clock.advance(60_000);
    const job = () => timed().core.store.get('asyncoperation', response.json.JobId);
    await until(() => job()?.statecode === 3, 'the job completed');
    expect(job()?.statuscode).toBe(31);
    expect(String(job()?.message)).toContain('is disabled');
    expect(timed().core.store.rows('account').size).toBe(before);
  });
});
