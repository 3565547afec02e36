import { describe, expect, it } from 'vitest';
import { api, useEmulator } from '../helpers/emulator.js';

// https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations (UpdateMultiple: 204 NoContent)
const emulator = useEmulator();
const type = 'Microsoft.Dynamics.CRM.account';

describe('UpdateMultiple', () => {
  it('updates every Target and answers 204; all or nothing when one fails', async () => {
    const ids = [...emulator().core.store.rows('account').keys()].slice(0, 2);
    const ok = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpdateMultiple', {
      body: { Targets: ids.map((id, index) => ({ '@odata.type': type, accountid: id, telephone1: `555-010${index}` })) },
    });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expect(emulator().core.store.get('account', ids[1] as string)?.telephone1).toBe('555-0101');
    const failed = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.UpdateMultiple', {
      body: { Targets: [{ '@odata.type': type, accountid: ids[0], telephone1: 'changed' }, { '@odata.type': type, accountid: '00000000-0000-0000-0000-000000000009', telephone1: 'x' }] },
    });
    expect(failed.status).toBe(404);
    expect(failed.json.error.message).toBe('Account With Ids = 00000000-0000-0000-0000-000000000009 Do Not Exist');
    expect(emulator().core.store.get('account', ids[0] as string)?.telephone1).toBe('555-0100');
  });

  it('is not offered where Update or CreateMultiple is not (the privilege catalogue, the organization)', async () => {
    for (const set of ['privileges', 'organizations']) {
      const response = await api(emulator(), 'POST', `${set}/Microsoft.Dynamics.CRM.UpdateMultiple`, { body: { Targets: [] } });
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('0x80040800');
      expect(response.json.error.message).toContain("The 'UpdateMultiple' method does not support entities");
    }
  });
});
