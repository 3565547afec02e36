import { describe, expect, it } from 'vitest';
import { api, useEmulator } from '../helpers/emulator.js';

describe('emulator: the Web API request log', () => {
  const emulator = useEmulator({ limits: false });

  it('lists every request on arrival, in order, with its method and target as sent', async () => {
    const from = emulator().requestLog.entries.length;
    await api(emulator(), 'GET', 'accounts?$select=name&$top=1');
    await api(emulator(), 'POST', 'accounts', { body: { name: 'Logged' } });
    const entries = emulator().requestLog.entries.slice(from);
    expect(entries.map(({ method, target }) => ({ method, target }))).toEqual([
      { method: 'GET', target: '/api/data/v9.2/accounts?$select=name&$top=1' },
      { method: 'POST', target: '/api/data/v9.2/accounts' },
    ]);
    expect(entries.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
  });

  it('keeps the headers and body as sent, but not the bearer token', async () => {
    const from = emulator().requestLog.entries.length;
    await api(emulator(), 'POST', 'accounts', { body: { name: 'Logged body' }, headers: { MSCRMCallerID: '00000000-0000-0000-0000-000000000001' } });
    const [entry] = emulator().requestLog.entries.slice(from);
    expect(JSON.parse(entry?.body ?? '')).toEqual({ name: 'Logged body' });
    expect(entry?.headers.mscrmcallerid).toBe('00000000-0000-0000-0000-000000000001');
    expect(entry?.headers.authorization).toBe('Bearer <redacted>');
  });

  it('logs a request whose connection the emulator drops, and one it refuses', async () => {
    const from = emulator().requestLog.entries.length;
    emulator().setFaults('dropBefore=1');
    try {
      await expect(api(emulator(), 'POST', 'accounts', { body: { name: 'Never' } })).rejects.toThrow();
    } finally {
      emulator().setFaults(undefined);
    }
    expect((await api(emulator(), 'GET', 'nosuchset')).status).toBe(404);
    expect(emulator().requestLog.entries.slice(from).map((entry) => `${entry.method} ${entry.target}`)).toEqual([
      'POST /api/data/v9.2/accounts',
      'GET /api/data/v9.2/nosuchset',
    ]);
  });
});
