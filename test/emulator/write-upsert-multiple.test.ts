import { describe, expect, it } from 'vitest';
import { DEMO, api, useEmulator } from '../helpers/emulator.js';

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/upsertmultiple:
// every Target carries @odata.type, names its row by @odata.id (alternate key) or primary key;
// the action answers 204 NoContent, the UpsertMultipleResponse is not returned.
const emulator = useEmulator();
const type = 'Microsoft.Dynamics.CRM.account';

function upsertMultiple(targets: unknown[], as: string = DEMO.app) {
  return api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpsertMultiple', { as, headers: { 'If-None-Match': 'null' }, body: { Targets: targets } });
}

function byNumber(accountnumber: string) {
  return [...emulator().core.store.rows('account').values()].filter((row) => row.accountnumber === accountnumber);
}

describe('UpsertMultiple', () => {
  it('updates the rows its alternate keys find, creates the others, and answers 204 with no body', async () => {
    const before = emulator().core.store.rows('account').size;
    const response = await upsertMultiple([
      { '@odata.type': type, telephone1: '555-0001', '@odata.id': "accounts(accountnumber='ACC-001')" },
      { '@odata.type': type, name: 'Upserted by key', '@odata.id': "accounts(accountnumber='UPS-001')" },
    ]);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const [fourthCoffee] = byNumber('ACC-001');
    expect(fourthCoffee?.telephone1).toBe('555-0001');
    expect(fourthCoffee?.name).toBe('Fourth Coffee');
    // The created row gets the key's value from @odata.id.
    expect(byNumber('UPS-001').map((row) => row.name)).toEqual(['Upserted by key']);
    expect(emulator().core.store.rows('account').size).toBe(before + 1);
  });

  it("takes the Targets Microsoft's Python SDK sends: the key's columns in the body as well as in @odata.id", async () => {
    const response = await upsertMultiple([
      { accountnumber: 'ACC-005', telephone1: '555-0005', '@odata.type': type, '@odata.id': "accounts(accountnumber='ACC-005')" },
      { accountnumber: 'UPS-PY', name: 'From Python', '@odata.type': type, '@odata.id': "accounts(accountnumber='UPS-PY')" },
    ]);
    expect(response.status).toBe(204);
    expect(byNumber('ACC-005').map((row) => [row.name, row.telephone1])).toEqual([['Fabrikam, Inc.', '555-0005']]);
    expect(byNumber('UPS-PY').map((row) => row.name)).toEqual(['From Python']);
  });

  it('names rows by primary key, in the body or as @odata.id; a new id creates the row with that id', async () => {
    const [existing] = byNumber('ACC-002');
    const id = String(existing?.accountid);
    const fresh = '7d1e2a3b-0000-4000-8000-000000000a01';
    const response = await upsertMultiple([
      { '@odata.type': type, accountid: id, telephone1: '555-0002' },
      { '@odata.type': type, '@odata.id': `accounts(${fresh})`, name: 'Upserted by id' },
    ]);
    expect(response.status).toBe(204);
    expect(emulator().core.store.get('account', id)?.telephone1).toBe('555-0002');
    expect(emulator().core.store.get('account', fresh)?.name).toBe('Upserted by id');
    const read = await api(emulator(), 'GET', `accounts(${fresh})?$select=name,_createdby_value`);
    expect(read.json.name).toBe('Upserted by id');
  });

  it('is all or nothing: a failing Target keeps none of the changes before it', async () => {
    const before = emulator().core.store.rows('account').size;
    const response = await upsertMultiple([
      { '@odata.type': type, telephone1: 'rolled back', '@odata.id': "accounts(accountnumber='ACC-003')" },
      { '@odata.type': type, name: 'Never kept', '@odata.id': "accounts(accountnumber='UPS-ROLLBACK')" },
      { '@odata.type': type, nosuchcolumn: 1, '@odata.id': "accounts(accountnumber='UPS-BAD')" },
    ]);
    expect(response.status).toBe(400);
    expect(byNumber('ACC-003')[0]?.telephone1).toBeUndefined();
    expect(byNumber('UPS-ROLLBACK')).toEqual([]);
    expect(emulator().core.store.rows('account').size).toBe(before);
  });

  it('runs as the caller: a user without Write is refused and nothing changes', async () => {
    const response = await upsertMultiple([{ '@odata.type': type, telephone1: 'x', '@odata.id': "accounts(accountnumber='ACC-004')" }], DEMO.riley);
    expect(response.status).toBe(403);
    expect(byNumber('ACC-004')[0]?.telephone1).toBeUndefined();
  });

  it('impersonated, the rows it creates are created by the user it runs as', async () => {
    const sam = emulator().users.find((candidate) => candidate.internalemailaddress === DEMO.sam);
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpsertMultiple', {
      as: DEMO.app,
      headers: { CallerObjectId: String(sam?.azureactivedirectoryobjectid) },
      body: { Targets: [{ '@odata.type': type, name: 'Made for Sam', '@odata.id': "accounts(accountnumber='UPS-SAM')" }] },
    });
    expect(response.status).toBe(204);
    const [row] = byNumber('UPS-SAM');
    expect(row?.createdby).toEqual({ table: 'systemuser', id: sam?.systemuserid });
  });

  it('refuses a Target without @odata.type, an @odata.id of another table, and a key id that contradicts the body', async () => {
    const missingType = await upsertMultiple([{ name: 'x', '@odata.id': "accounts(accountnumber='UPS-X')" }]);
    expect(missingType.status).toBe(400);
    expect(missingType.json.error.message).toContain("has no '@odata.type' annotation");
    const otherTable = await upsertMultiple([{ '@odata.type': type, name: 'x', '@odata.id': 'contacts(00000000-0000-4000-8000-000000000001)' }]);
    expect(otherTable.status).toBe(400);
    expect(otherTable.json.error.message).toContain("does not name a row of 'accounts'");
    const contradicting = await upsertMultiple([
      { '@odata.type': type, accountid: '7d1e2a3b-0000-4000-8000-000000000a02', '@odata.id': 'accounts(7d1e2a3b-0000-4000-8000-000000000a03)' },
    ]);
    expect(contradicting.status).toBe(400);
    expect(contradicting.json.error.message).toBe('Entity Id must be the same as the value set in property bag.');
    const missingTargets = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpsertMultiple', { body: {} });
    expect(missingTargets.status).toBe(400);
    expect(byNumber('UPS-X')).toEqual([]);
  });

  it('is not offered on a table without CreateMultiple, and only by POST', async () => {
    const privilege = await api(emulator(), 'POST', 'privileges/Microsoft.Dynamics.CRM.UpsertMultiple', { body: { Targets: [] } });
    expect(privilege.status).toBe(400);
    expect(privilege.json.error.code).toBe('0x80040800');
    const get = await api(emulator(), 'GET', 'accounts/Microsoft.Dynamics.CRM.UpsertMultiple');
    expect(get.status).toBe(404);
  });
});
