import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * What writing takes (docs/dataverse-web-api.md §4.1, §5): Create for a new row; Append on the row and AppendTo
 * on each bound row when lookups are bound; Write reaching the row for an update; Delete reaching
 * it for a delete. A missing row is 404 before any privilege is looked at.
 */
const emulator = useEmulator();

const store = () => emulator().core.store;
const accountId = (name: string) => String([...store().rows('account').values()].find((row) => row.name === name)?.accountid);

function expectDenied(response: { status: number; json: any }, privilege: string, principalEmail: string) {
  expect(response.status).toBe(403);
  expect(response.json.error.code).toBe('0x80040220');
  expect(response.json.error.message).toContain(`Principal user (Id=${user(emulator(), principalEmail).systemuserid},`);
  expect(response.json.error.message).toContain(`is missing ${privilege} privilege`);
}

describe('create', () => {
  it.each([DEMO.riley, DEMO.nora])('a user without prvCreateAccount (%s) is 403 and nothing is written', async (email) => {
    const before = store().rows('account').size;
    const response = await api(emulator(), 'POST', 'accounts', { as: email, body: { name: 'Forbidden' } });
    expectDenied(response, 'prvCreateAccount', email);
    expect(store().rows('account').size).toBe(before);
  });

  it('under impersonation the intersection applies and the message names the impersonated user', async () => {
    const response = await api(emulator(), 'POST', 'accounts', {
      headers: { MSCRMCallerID: user(emulator(), DEMO.riley).systemuserid },
      body: { name: 'Forbidden Through Riley' },
    });
    expectDenied(response, 'prvCreateAccount', DEMO.riley);
  });

  it('an upsert that would create needs Create', async () => {
    const id = randomUUID();
    const response = await api(emulator(), 'PATCH', `accounts(${id})`, { as: DEMO.riley, body: { name: 'Upsert Forbidden' } });
    expectDenied(response, 'prvCreateAccount', DEMO.riley);
    expect(store().get('account', id)).toBeUndefined();
  });
});

describe('binding lookups', () => {
  it('binding a row within the user\'s AppendTo depth works', async () => {
    const response = await api(emulator(), 'POST', 'contacts', {
      as: DEMO.sam,
      body: { lastname: 'At Litware', 'parentcustomerid_account@odata.bind': `/accounts(${accountId('Litware, Inc.')})` },
    });
    expect(response.status).toBe(204);
  });

  it('binding a row outside the user\'s AppendTo depth is 403 prvAppendToAccount, and nothing is written', async () => {
    const before = store().rows('contact').size;
    const response = await api(emulator(), 'POST', 'contacts', {
      as: DEMO.sam,
      body: { lastname: 'At Fourth Coffee', 'parentcustomerid_account@odata.bind': `/accounts(${accountId('Fourth Coffee')})` },
    });
    expectDenied(response, 'prvAppendToAccount', DEMO.sam);
    expect(store().rows('contact').size).toBe(before);
  });

  it('binding on update needs AppendTo on the bound row too', async () => {
    const id = randomUUID();
    await api(emulator(), 'POST', 'contacts', { as: DEMO.sam, body: { contactid: id, lastname: 'Mover' } });
    const response = await api(emulator(), 'PATCH', `contacts(${id})`, {
      as: DEMO.sam,
      body: { 'parentcustomerid_account@odata.bind': `/accounts(${accountId('Fourth Coffee')})` },
    });
    expectDenied(response, 'prvAppendToAccount', DEMO.sam);
    expect(store().get('contact', id)?.parentcustomerid).toBeUndefined();
  });
});

describe('update and delete', () => {
  it('Write must reach the row: Sam may update his own account, not the admin\'s', async () => {
    expect((await api(emulator(), 'PATCH', `accounts(${accountId('Adventure Works')})`, { as: DEMO.sam, body: { telephone1: '1' } })).status).toBe(204);
    const response = await api(emulator(), 'PATCH', `accounts(${accountId('Fourth Coffee')})`, { as: DEMO.sam, body: { telephone1: '2' } });
    expectDenied(response, 'prvWriteAccount', DEMO.sam);
    expect(store().get('account', accountId('Fourth Coffee'))?.telephone1).toBeUndefined();
  });

  it('Delete must be held: the app (no prvDeleteAccount) is 403 and the row stays', async () => {
    const id = accountId('Coho Winery');
    const response = await api(emulator(), 'DELETE', `accounts(${id})`);
    expectDenied(response, 'prvDeleteAccount', DEMO.app);
    expect(store().get('account', id)).toBeDefined();
  });

  it('a missing row is 404 before any privilege check', async () => {
    const id = randomUUID();
    const deleted = await api(emulator(), 'DELETE', `accounts(${id})`, { as: DEMO.nora });
    expect(deleted.status).toBe(404);
    const updated = await api(emulator(), 'PATCH', `accounts(${id})`, { as: DEMO.nora, headers: { 'If-Match': '*' }, body: { name: 'x' } });
    expect(updated.status).toBe(404);
  });
});

describe('Append on the row being written', () => {
  const SEED: SeedDocument = {
    roles: [
      { name: 'Binder', privileges: { prvCreateContact: 'Global', prvReadAccount: 'Global', prvAppendToAccount: 'Global', prvReadContact: 'Global' } },
      {
        name: 'Full Binder',
        privileges: { prvCreateContact: 'Global', prvReadAccount: 'Global', prvAppendToAccount: 'Global', prvReadContact: 'Global', prvAppendContact: 'Global' },
      },
    ],
    users: [
      { fullname: 'No Append', email: 'noappend@example.test', roles: ['Binder'] },
      { fullname: 'Can Append', email: 'append@example.test', roles: ['Full Binder'] },
    ],
    rows: { account: [{ name: 'Target', $owner: 'append@example.test' }] },
  };
  const seeded = useEmulator({ seed: SEED });
  const target = () => String([...seeded().core.store.rows('account').values()][0]?.accountid);

  it('creating a row with a bound lookup needs prvAppend on the new row\'s table', async () => {
    const denied = await api(seeded(), 'POST', 'contacts', {
      as: 'noappend@example.test',
      body: { lastname: 'Unbound', 'parentcustomerid_account@odata.bind': `/accounts(${target()})` },
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain('is missing prvAppendContact privilege');
    const unbound = await api(seeded(), 'POST', 'contacts', { as: 'noappend@example.test', body: { lastname: 'No Lookup' } });
    expect(unbound.status).toBe(204);
    const allowed = await api(seeded(), 'POST', 'contacts', {
      as: 'append@example.test',
      body: { lastname: 'Bound', 'parentcustomerid_account@odata.bind': `/accounts(${target()})` },
    });
    expect(allowed.status).toBe(204);
  });
});
