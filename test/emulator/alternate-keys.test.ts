import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { loadSeed, SeedError } from '../../src/emulator/seed/load.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const root = () => `${emulator().url}/api/data/v9.2/`;

// https://learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record
describe('alternate keys: the demo organisation defines one on account.accountnumber', () => {
  it('reads a row by its key, in any case, as the service compares strings', async () => {
    const byKey = await api(emulator(), 'GET', "accounts(accountnumber='ACC-002')?$select=name,accountnumber");
    expect(byKey.status).toBe(200);
    expect(byKey.json).toMatchObject({ '@odata.context': `${root()}$metadata#accounts(name,accountnumber)/$entity`, name: 'Contoso Pharmaceuticals', accountnumber: 'ACC-002' });
    const lower = await api(emulator(), 'GET', "accounts(accountnumber='acc-002')?$select=name");
    expect(lower.json.accountid).toBe(byKey.json.accountid);
    const encoded = await api(emulator(), 'GET', `accounts(${encodeURIComponent("accountnumber='ACC-002'")})?$select=name`);
    expect(encoded.json.accountid).toBe(byKey.json.accountid);
  });

  it('a key value no row has is 404 with the service text; a column that is not a key is the 400 of an undeclared key', async () => {
    const missing = await api(emulator(), 'GET', "accounts(accountnumber='NOPE')");
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ code: '0x80048d02', message: 'A record with the specified key values does not exist in account entity' });
    const notKey = await api(emulator(), 'GET', "accounts(name='Fourth Coffee')");
    expect(notKey.status).toBe(400);
    expect(notKey.json.error.message).toContain("The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.account'");
    const wrongType = await api(emulator(), 'GET', 'accounts(accountnumber=12)');
    expect(wrongType.status).toBe(400);
  });

  it('also names the row of navigations, functions and $ref', async () => {
    const contacts = await api(emulator(), 'GET', "accounts(accountnumber='ACC-001')/contact_customer_accounts?$select=fullname");
    expect(contacts.status).toBe(200);
    expect(contacts.json.value.map((row: { fullname: string }) => row.fullname)).toEqual(['Nancy Anderson']);
  });

  it('PATCH by key updates the row, leaves the key as it is and echoes the key URL in OData-EntityId', async () => {
    const patched = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-003')", {
      headers: { 'If-Match': '*' },
      body: { telephone1: '555-0103', accountnumber: 'CHANGED' },
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('odata-entityid')).toBe(`${root()}accounts(accountnumber='ACC-003')`);
    const read = await api(emulator(), 'GET', "accounts(accountnumber='ACC-003')?$select=telephone1,accountnumber,name");
    expect(read.json).toMatchObject({ telephone1: '555-0103', accountnumber: 'ACC-003', name: 'Litware, Inc.' });
  });

  it('PATCH by a key no row has creates the row with the key values (upsert); If-Match: * makes it a 404 instead', async () => {
    const refused = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-100')", { headers: { 'If-Match': '*' }, body: { name: 'Nobody' } });
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe('0x80048d02');
    const created = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-100')", {
      headers: { Prefer: 'return=representation' },
      body: { name: 'Tailspin Toys' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Tailspin Toys', accountnumber: 'ACC-100' });
    const again = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-100')", { body: { telephone1: '555-0100' } });
    expect(again.status).toBe(204);
    const read = await api(emulator(), 'GET', "accounts(accountnumber='ACC-100')?$select=name,telephone1");
    expect(read.json).toMatchObject({ accountid: created.json.accountid, name: 'Tailspin Toys', telephone1: '555-0100' });
    const createOnly = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-100')", { headers: { 'If-None-Match': '*' }, body: { name: 'x' } });
    expect(createOnly.status).toBe(412);
  });

  it('DELETE by key deletes the row; then the key names nothing', async () => {
    await api(emulator(), 'POST', 'accounts', { body: { name: 'Doomed', accountnumber: 'ACC-DEL' } });
    const deleted = await api(emulator(), 'DELETE', "accounts(accountnumber='ACC-DEL')", { as: DEMO.admin });
    expect(deleted.status).toBe(204);
    expect((await api(emulator(), 'GET', "accounts(accountnumber='ACC-DEL')")).status).toBe(404);
    expect((await api(emulator(), 'DELETE', "accounts(accountnumber='ACC-DEL')", { as: DEMO.admin })).status).toBe(404);
  });

  it('a bind may name its row by key; a key that names no row is the 404', async () => {
    const contact = await api(emulator(), 'POST', 'contacts', {
      headers: { Prefer: 'return=representation' },
      body: { lastname: 'Keyed', 'parentcustomerid_account@odata.bind': "/accounts(accountnumber='ACC-004')" },
    });
    expect(contact.status).toBe(201);
    const account = await api(emulator(), 'GET', "accounts(accountnumber='ACC-004')?$select=name");
    expect(contact.json._parentcustomerid_value).toBe(account.json.accountid);
    const dangling = await api(emulator(), 'POST', 'contacts', {
      body: { lastname: 'Dangling', 'parentcustomerid_account@odata.bind': "/accounts(accountnumber='NOPE')" },
    });
    expect(dangling.status).toBe(404);
    expect(dangling.json.error.code).toBe('0x80048d02');
  });

  it('a key is unique: a create or update that repeats another row\'s key values is 412 DuplicateRecordEntityKey', async () => {
    const create = await api(emulator(), 'POST', 'accounts', { body: { name: 'Copy', accountnumber: 'acc-001' } });
    expect(create.status).toBe(412);
    expect(create.json.error.code).toBe('0x80060892');
    expect(create.json.error.message).toBe(
      'Entity Key Account Number violated. A record with the same value for Account Number already exists. A duplicate record cannot be created. Select one or more unique values and try again.',
    );
    const update = await api(emulator(), 'PATCH', "accounts(accountnumber='ACC-005')", { body: { accountnumber: 'ACC-001' } });
    // Addressed by its key, the row keeps it (the body's key is dropped): no conflict.
    expect(update.status).toBe(204);
    const byId = await api(emulator(), 'GET', "accounts(accountnumber='ACC-005')?$select=name");
    const conflict = await api(emulator(), 'PATCH', `accounts(${byId.json.accountid})`, { body: { accountnumber: 'ACC-001' } });
    expect(conflict.status).toBe(412);
    const batch = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: { Targets: [0, 1].map(() => ({ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: 'Twin', accountnumber: 'TWIN-1' })) },
    });
    expect(batch.status).toBe(412);
    expect((await api(emulator(), 'GET', "accounts(accountnumber='TWIN-1')")).status).toBe(404);
    const emptyKeys = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: { Targets: [0, 1].map(() => ({ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: 'No number' })) },
    });
    expect(emptyKeys.status).toBe(200);
  });

  it('a key follows its row across requests: updated, deleted, and writes rolled back leave no trace', async () => {
    const account = (number: string, extra: Record<string, unknown> = {}) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: number, accountnumber: number, ...extra });
    // As the administrator, who may delete accounts.
    const status = async (method: string, path: string, body?: unknown) => (await api(emulator(), method, path, { as: DEMO.admin, ...(body === undefined ? {} : { body }) })).status;
    expect(await status('POST', 'accounts', { name: 'Mover', accountnumber: 'MOVE-1' })).toBe(204);
    const mover = (await api(emulator(), 'GET', "accounts(accountnumber='MOVE-1')?$select=accountid")).json.accountid as string;
    // Updated: the old value is free, the new one taken.
    expect(await status('PATCH', `accounts(${mover})`, { accountnumber: 'MOVE-2' })).toBe(204);
    expect(await status('GET', "accounts(accountnumber='MOVE-1')")).toBe(404);
    expect(await status('POST', 'accounts', { name: 'Second', accountnumber: 'MOVE-2' })).toBe(412);
    expect(await status('POST', 'accounts', { name: 'Taker', accountnumber: 'MOVE-1' })).toBe(204);
    // Deleted: its value is free.
    expect(await status('DELETE', `accounts(${mover})`)).toBe(204);
    expect(await status('POST', 'accounts', { name: 'After delete', accountnumber: 'MOVE-2' })).toBe(204);
    // A CreateMultiple that fails whole keeps none of its keys.
    const failed = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: { Targets: [account('ROLL-1'), account('ROLL-2', { 'parentaccountid@odata.bind': 'accounts(0f0f0f0f-0000-4000-8000-00000000beef)' })] },
    });
    expect(failed.status).toBe(404);
    expect(await status('GET', "accounts(accountnumber='ROLL-1')")).toBe(404);
    expect(await status('POST', 'accounts', { name: 'Not a phantom', accountnumber: 'ROLL-1' })).toBe(204);
    // An UpdateMultiple that fails whole leaves the key where it was.
    const roll = (await api(emulator(), 'GET', "accounts(accountnumber='ROLL-1')?$select=accountid")).json.accountid as string;
    const failedUpdate = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpdateMultiple', {
      body: { Targets: [account('ROLL-3', { accountid: roll }), account('ROLL-4', { accountid: '0f0f0f0f-0000-4000-8000-00000000beef' })] },
    });
    expect(failedUpdate.status).toBeGreaterThanOrEqual(400);
    expect((await api(emulator(), 'GET', "accounts(accountnumber='ROLL-1')?$select=accountid")).json.accountid).toBe(roll);
    expect(await status('POST', 'accounts', { name: 'Free still', accountnumber: 'ROLL-3' })).toBe(204);
  });

  it('privileges apply to rows named by key as to rows named by id', async () => {
    const denied = await api(emulator(), 'GET', "accounts(accountnumber='ACC-001')", { as: DEMO.nora });
    expect(denied.status).toBe(403);
  });
});

describe("the README's alternate-key example against the shipped emulator", () => {
  it(`dvas get accounts "accountnumber='ACC-002'" prints that account`, async () => {
    const run = await dvas(DEMO.app, ['get', 'accounts', "accountnumber='ACC-002'", '-o', 'json']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'Contoso Pharmaceuticals', accountnumber: 'ACC-002' });
  });
});

describe('seed keys', () => {
  const table = { logicalName: 'new_thing', columns: [{ name: 'new_name', type: 'String' as const }, { name: 'new_code', type: 'String' as const }, { name: 'new_on', type: 'Boolean' as const }] };
  it('declares keys on built-in and custom tables', () => {
    const org = loadSeed({ tables: [table], keys: [{ table: 'new_thing', name: 'CodeKey', columns: ['new_code'] }, { table: 'contact', name: 'EmailKey', columns: ['emailaddress1'] }] });
    expect(org.metadata.require('new_thing').keys).toEqual([{ logicalName: 'codekey', schemaName: 'CodeKey', displayName: 'CodeKey', attributes: ['new_code'] }]);
    expect(org.metadata.require('contact').keys.map((key) => key.schemaName)).toEqual(['EmailKey']);
  });

  it.each([
    [{ table: 'nosuch', name: 'K', columns: ['x'] }, "Key 'K' is on table 'nosuch', which does not exist."],
    [{ table: 'new_thing', name: 'K', columns: ['nosuch'] }, "Key 'K' of 'new_thing' names column 'nosuch', which the table does not have."],
    [{ table: 'new_thing', name: 'K', columns: ['new_on'] }, "Key 'K' of 'new_thing' names column 'new_on' of type Boolean; keys take String, Integer, Decimal, DateTime, Picklist or Lookup columns."],
    [{ table: 'new_thing', name: 'K', columns: [] }, "Key 'K' of 'new_thing' needs a columns array."],
  ])('refuses a key that Dataverse would not define: %j', (key, message) => {
    expect(() => loadSeed({ tables: [table], keys: [key] })).toThrow(new SeedError(message));
  });

  it('refuses seeded rows that share a key', () => {
    expect(() =>
      loadSeed({
        users: [{ fullname: 'A B', email: 'a@b.example' }],
        keys: [{ table: 'account', name: 'Num', columns: ['accountnumber'] }],
        rows: { account: [{ name: 'One', accountnumber: 'X' }, { name: 'Two', accountnumber: 'x' }] },
      }),
    ).toThrow("Two rows of 'account' have the same values for key 'Num' (accountnumber).");
  });
});
