import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();

describe('WhoAmI', () => {
  it.each(['WhoAmI', 'WhoAmI()'])('GET %s answers with exactly the WhoAmIResponse shape', async (path) => {
    const response = await api(emulator(), 'GET', path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(response.headers.get('odata-version')).toBe('4.0');
    const app = user(emulator(), DEMO.app);
    expect(response.json).toEqual({
      '@odata.context': `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      UserId: app.systemuserid,
      OrganizationId: emulator().organizationId,
    });
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'BusinessUnitId', 'UserId', 'OrganizationId']);
  });

  it.each(['v9.0', 'v9.1', 'v9.2'])('echoes the requested version %s in @odata.context', async (version) => {
    const response = await api(emulator(), 'GET', `/api/data/${version}/WhoAmI`);
    expect(response.json['@odata.context']).toBe(`${emulator().url}/api/data/${version}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`);
  });

  it.each(['POST', 'PATCH', 'DELETE'])('%s WhoAmI gets the real 404 "No HTTP resource"', async (method) => {
    const response = await api(emulator(), method, 'WhoAmI');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: {
        code: '',
        message: `No HTTP resource was found that matches the request URI '${emulator().url}/api/data/v9.2/WhoAmI'.`,
      },
    });
  });
});
