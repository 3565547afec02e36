import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { api, useEmulator, user } from '../helpers/emulator.js';

/**
 * CreateMultiple (docs/dataverse-web-api.md §4.2): 200 with the ids in input order, all or nothing, every Target
 * typed with @odata.type; a table declared without the message answers as the service does; one
 * request whatever the number of rows; fast enough never to be a client benchmark's bottleneck.
 */
const SEED: SeedDocument = {
  tables: [
    { logicalName: 'new_widget', columns: [{ name: 'new_name', type: 'String', maxLength: 100 }] },
    { logicalName: 'new_gadget', supportsCreateMultiple: false, columns: [{ name: 'new_name', type: 'String', maxLength: 100 }] },
  ],
  roles: [
    {
      name: 'Maker',
      privileges: {
        prvCreateAccount: 'Global',
        prvReadAccount: 'Global',
        prvCreatenew_widget: 'Global',
        prvReadnew_widget: 'Global',
        prvCreatenew_gadget: 'Global',
        prvReadnew_gadget: 'Global',
        prvActOnBehalfOfAnotherUser: 'Global',
      },
    },
    { name: 'Basic Maker', privileges: { prvCreateAccount: 'Basic', prvReadAccount: 'Basic' } },
  ],
  users: [
    { fullname: 'Bulk App', email: 'bulk@example.test', roles: ['Maker'], application: { clientId: '0f0f0f0f-1111-4222-8333-444455556666', clientSecret: 's' } },
    { fullname: 'Basic Bob', email: 'bob@example.test', roles: ['Basic Maker'] },
    { fullname: 'Reader Rita', email: 'rita@example.test' },
  ],
};

const emulator = useEmulator({ seed: SEED });
const store = () => emulator().core.store;
const APP = 'bulk@example.test';

const target = (fields: Record<string, unknown>, type = 'account') => ({ ...fields, '@odata.type': `Microsoft.Dynamics.CRM.${type}` });

function createMultiple(set: string, targets: unknown[], options: { as?: string; headers?: Record<string, string> } = {}) {
  return api(emulator(), 'POST', `${set}/Microsoft.Dynamics.CRM.CreateMultiple`, { as: options.as ?? APP, headers: options.headers ?? {}, body: { Targets: targets } });
}

describe('CreateMultiple', () => {
  it('answers 200 with the CreateMultipleResponse and the ids in input order', async () => {
    const names = ['Bulk A', 'Bulk B', 'Bulk C'];
    const response = await createMultiple('accounts', names.map((name) => target({ name })));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(response.headers.get('odata-version')).toBe('4.0');
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'Ids']);
    expect(response.json['@odata.context']).toBe(`${emulator().apiUrl}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`);
    expect(response.json.Ids).toHaveLength(3);
    expect(response.json.Ids.map((id: string) => store().get('account', id)?.name)).toEqual(names);
  });

  it('keeps client-supplied keys, in order', async () => {
    const ids = [randomUUID(), randomUUID()];
    const response = await createMultiple('accounts', ids.map((accountid, index) => target({ accountid, name: `Keyed ${index}` })));
    expect(response.json.Ids).toEqual(ids);
  });

  it('stamps every row with the effective user and the impersonating caller', async () => {
    const bob = user(emulator(), 'bob@example.test').systemuserid;
    const app = user(emulator(), APP).systemuserid;
    const response = await createMultiple('accounts', [target({ name: 'Bulk For Bob' })], { headers: { MSCRMCallerID: bob } });
    expect(response.status).toBe(200);
    expect(store().get('account', response.json.Ids[0])).toMatchObject({
      createdby: { table: 'systemuser', id: bob },
      ownerid: { table: 'systemuser', id: bob },
      createdonbehalfby: { table: 'systemuser', id: app },
    });
  });

  it('works for a custom table of the seed', async () => {
    const response = await createMultiple('new_widgets', [target({ new_name: 'Sprocket' }, 'new_widget')]);
    expect(response.status).toBe(200);
    expect(store().get('new_widget', response.json.Ids[0])?.new_name).toBe('Sprocket');
  });

  it('counts as one request and adds every row to the created counter', async () => {
    const requests = emulator().core.stats.requests;
    const created = emulator().core.stats.rowsCreated.account ?? 0;
    await createMultiple('accounts', [1, 2, 3, 4].map((n) => target({ name: `Counted ${n}` })));
    expect(emulator().core.stats.requests).toBe(requests + 1);
    expect(emulator().core.stats.rowsCreated.account).toBe(created + 4);
  });

  it('a single create counts its row too', async () => {
    const created = emulator().core.stats.rowsCreated.account ?? 0;
    await api(emulator(), 'POST', 'accounts', { as: APP, body: { name: 'Counted Alone' } });
    expect(emulator().core.stats.rowsCreated.account).toBe(created + 1);
  });
});

describe('CreateMultiple is all or nothing', () => {
  const cases: Array<[string, () => unknown[], number, string, RegExp | string]> = [
    [
      'a Target without @odata.type',
      () => [target({ name: 'R1' }), { name: 'Untyped' }, target({ name: 'R3' })],
      400,
      '0x80048d19',
      /The item at index 1 of the 'Targets' parameter has no '@odata\.type' annotation/,
    ],
    [
      'a Target typed as another table',
      () => [target({ name: 'R1' }), target({ fullname: 'x' }, 'contact')],
      400,
      '0x80048d19',
      /type 'Microsoft\.Dynamics\.CRM\.contact' was found, but it is not assignable to the expected type 'Microsoft\.Dynamics\.CRM\.account'/,
    ],
    ['an invalid value in the last Target', () => [target({ name: 'R1' }), target({ name: 'R2' }), target({ name: 'R3', numberofemployees: 'x' })], 400, '0x80048d19', /Edm\.Int32/],
    ['an unknown column', () => [target({ name: 'R1' }), target({ Name: 'R2' })], 400, '0x0', /Invalid property 'Name'/],
    [
      'a key that already exists',
      () => {
        const existing = String([...store().rows('account').values()][0]?.accountid);
        return [target({ name: 'R1' }), target({ accountid: existing, name: 'R2' })];
      },
      412,
      '0x80040237',
      'Cannot insert duplicate key.',
    ],
    [
      'the same new key twice',
      () => {
        const id = randomUUID();
        return [target({ accountid: id, name: 'R1' }), target({ accountid: id, name: 'R2' })];
      },
      412,
      '0x80040237',
      'Cannot insert duplicate key.',
    ],
    ['a Target that is not an object', () => [target({ name: 'R1' }), 'R2'], 400, '0x80048d19', /An unexpected 'PrimitiveValue' node was found/],
  ];

  it.each(cases)('%s: the first failing Target\'s error, and no row kept', async (_name, targets, status, code, message) => {
    const before = store().rows('account').size;
    const created = emulator().core.stats.rowsCreated.account ?? 0;
    const response = await createMultiple('accounts', targets());
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    if (typeof message === 'string') expect(response.json.error.message).toBe(message);
    else expect(response.json.error.message).toMatch(message);
    expect(store().rows('account').size).toBe(before);
    expect(emulator().core.stats.rowsCreated.account ?? 0).toBe(created);
  });

  it('a privilege failure on any Target rolls back the rows before it', async () => {
    const before = store().rows('account').size;
    const response = await createMultiple('accounts', [target({ name: 'R1' })], { as: 'rita@example.test' });
    expect(response.status).toBe(403);
    expect(store().rows('account').size).toBe(before);
  });

  it('an owner bind that fails in the middle rolls back the Targets already created', async () => {
    const before = store().rows('account').size;
    const response = await createMultiple('accounts', [
      target({ name: 'R1' }),
      target({ name: 'R2', 'ownerid@odata.bind': `/systemusers(${randomUUID()})` }),
    ]);
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe('0x80040217');
    expect(store().rows('account').size).toBe(before);
  });
});

describe('CreateMultiple: refused requests', () => {
  it('a table declared without CreateMultiple answers as the service does for an unsupported message', async () => {
    const response = await createMultiple('new_gadgets', [target({ new_name: 'x' }, 'new_gadget')]);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x80040800',
      message: "The 'CreateMultiple' method does not support entities of type 'new_gadget'. MessageProcessorCache returned MessageProcessor.Empty.",
    });
    expect(store().rows('new_gadget').size).toBe(0);
  });

  it.each([
    ['privileges', 'privilege'],
    ['organizations', 'organization'],
  ])('%s do not support CreateMultiple', async (set, logicalName) => {
    const response = await createMultiple(set, [target({ name: 'x' }, logicalName)]);
    expect(response.json.error.message).toBe(
      `The 'CreateMultiple' method does not support entities of type '${logicalName}'. MessageProcessorCache returned MessageProcessor.Empty.`,
    );
  });

  it('a body without Targets names the missing parameter', async () => {
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { as: APP, body: {} });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x80040203', message: "Required field 'Targets' is missing for RequestName='CreateMultiple'" });
  });

  it('a parameter the action does not have is refused', async () => {
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { as: APP, body: { Target: [] } });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain("The parameter 'Target' in the request payload is not a valid parameter for the operation 'CreateMultiple'.");
  });

  it('Targets that is not an array is refused', async () => {
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { as: APP, body: { Targets: target({ name: 'x' }) } });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain("An unexpected 'StartObject' node was found when reading from the JSON reader. A 'StartArray' node was expected.");
  });

  it('malformed JSON is the payload error', async () => {
    const response = await api(emulator(), 'POST', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { as: APP, rawBody: '{"Targets":[' });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x80048d19');
  });

  it('GET is no HTTP resource', async () => {
    const response = await api(emulator(), 'GET', 'accounts/Microsoft.Dynamics.CRM.CreateMultiple', { as: APP });
    expect(response.status).toBe(404);
  });
});

describe('CreateMultiple throughput', () => {
  /**
   * Measured in CPU time of this process, which serves the requests and sends them: other test
   * files share this 2-core machine, so wall time would measure them. Client and server share one
   * thread here, so rows per CPU-second is a floor for what the emulator alone sustains.
   */
  it('creates at least 50,000 rows a second at 1,000 rows a request over loopback', async () => {
    const url = `${emulator().apiUrl}accounts/Microsoft.Dynamics.CRM.CreateMultiple`;
    const headers = { Authorization: `Bearer ${emulator().issueToken(APP)}`, 'Content-Type': 'application/json', 'OData-Version': '4.0' };
    const agent = new Agent({ keepAlive: true });
    const send = (body: string) =>
      new Promise<void>((resolve, reject) => {
        const request = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (response) => {
          response.resume();
          response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
        });
        request.on('error', reject);
        request.end(body);
      });
    const bodies = Array.from({ length: 40 }, (_, request) =>
      JSON.stringify({
        Targets: Array.from({ length: 1000 }, (_, index) => ({
          name: `Throughput ${request}-${index}`,
          accountnumber: `T-${index}`,
          numberofemployees: index,
          '@odata.type': 'Microsoft.Dynamics.CRM.account',
        })),
      }),
    );
    try {
      for (const body of bodies.slice(0, 10)) await send(body); // warm up the JIT and the connection
      const measured = bodies.slice(10);
      const cpuBefore = process.cpuUsage();
      for (const body of measured) await send(body);
      const cpu = process.cpuUsage(cpuBefore);
      const rowsPerCpuSecond = (measured.length * 1000) / ((cpu.user + cpu.system) / 1e6);
      expect(rowsPerCpuSecond).toBeGreaterThanOrEqual(50_000);
    } finally {
      agent.destroy();
    }
  });
});
