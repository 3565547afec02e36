import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { api, DEMO, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';

/**
 * Point 7 of issue #2: errors in the OData shape with the real codes, and the rule that nothing a
 * client sends may crash the emulator or leave its state broken. After every test in this file
 * the emulator must still answer a good request, and every table must hold exactly the rows it
 * held before (no request here is meant to change anything).
 */
const emulator = useEmulator();
const stranger = useEmulator();

let snapshot = '';

/** Every row of every table, as stored: a refused request must leave all of it untouched. */
function storeSnapshot(): string {
  const core = emulator().core;
  const tables = core.metadata.all().map((table) => [table.logicalName, [...core.store.rows(table.logicalName).entries()]]);
  return JSON.stringify(tables);
}

async function expectHealthy(): Promise<void> {
  const whoami = await api(emulator(), 'GET', 'WhoAmI');
  expect(whoami.status).toBe(200);
  const privileges = await api(emulator(), 'GET', `systemusers(${user(emulator(), DEMO.sam).systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`);
  expect(privileges.status).toBe(200);
  expect(privileges.json.RolePrivileges.length).toBeGreaterThan(0);
  expect(storeSnapshot()).toBe(snapshot);
}

beforeAll(() => {
  snapshot = storeSnapshot();
});
afterEach(expectHealthy);

function expectBearerChallenge(response: ApiResponse, from: RunningEmulator = emulator()): void {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toBe(`Bearer authorization_uri=${from.url}/${from.tenantId}/oauth2/authorize, resource_id=${from.url}/`);
  expect(response.json).toEqual({ error: { code: '', message: expect.any(String) } });
}

describe('401 with the bearer challenge', () => {
  it('no Authorization header', async () => {
    expectBearerChallenge(await api(emulator(), 'GET', 'WhoAmI', { token: null }));
  });

  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Bearer'],
    ['Bearer a b c'],
    ['Token abc.def.ghi'],
  ])('a malformed Authorization header (%s)', async (header) => {
    expectBearerChallenge(await api(emulator(), 'GET', 'WhoAmI', { token: null, headers: { Authorization: header } }));
  });

  it.each([['not-a-jwt'], ['a.b.c'], ['....'], ['eyJhbGciOiJub25lIn0.eyJvaWQiOiJ4In0.']])('a token that is not one of ours (%s)', async (token) => {
    expectBearerChallenge(await api(emulator(), 'GET', 'WhoAmI', { token }));
  });

  it('a token signed by another emulator instance (bad signature)', async () => {
    const foreign = stranger().issueToken(DEMO.app, { audience: emulator().url });
    const response = await api(emulator(), 'GET', 'WhoAmI', { token: foreign });
    expectBearerChallenge(response);
    expect(response.json.error.message).toMatch(/signature/i);
  });

  it('an expired token', async () => {
    // An emulator of its own, on a clock the test moves: the token expires in no real time.
    const clock = new TestClock();
    const clocked = await startEmulator({ port: 0, clock });
    try {
      const token = clocked.issueToken(DEMO.app, { lifetimeSeconds: 1 });
      expect((await api(clocked, 'GET', 'WhoAmI', { token })).status).toBe(200);
      await clock.advance(2_100);
      const response = await api(clocked, 'GET', 'WhoAmI', { token });
      expectBearerChallenge(response, clocked);
      expect(response.json.error.message).toMatch(/expired/i);
    } finally {
      await clocked.close();
    }
  });

  it('a token for another audience', async () => {
    const token = emulator().issueToken(DEMO.app, { audience: 'https://other.crm.dynamics.com' });
    const response = await api(emulator(), 'GET', 'WhoAmI', { token });
    expectBearerChallenge(response);
    expect(response.json.error.message).toMatch(/audience/i);
  });

  it('a valid token of a user who is not in the organisation: 403 0x80072560', async () => {
    const core = emulator().core;
    const nobody = core.tokens.issue({
      oid: '7e1f0000-0000-4000-8000-00000000abcd',
      sub: '7e1f0000-0000-4000-8000-00000000abcd',
      appid: '51f81489-12ee-4a9e-aaae-a2591f45987d',
      aud: emulator().url,
      idtyp: 'user',
      name: 'Someone Else',
      upn: 'someone@fabrikam.com',
      lifetimeSeconds: 600,
    }).token;
    const response = await api(emulator(), 'GET', 'WhoAmI', { token: nobody });
    expect(response.status).toBe(403);
    expect(response.json).toEqual({ error: { code: '0x80072560', message: 'The user is not a member of the organization.' } });
    const unknownApp = core.tokens.issue({
      oid: '7e1f0000-0000-4000-8000-00000000abce',
      sub: '7e1f0000-0000-4000-8000-00000000abce',
      appid: '7e1f0000-0000-4000-8000-00000000abcf',
      aud: emulator().url,
      idtyp: 'app',
      lifetimeSeconds: 600,
    }).token;
    expect((await api(emulator(), 'GET', 'WhoAmI', { token: unknownApp })).json.error.code).toBe('0x80072560');
  });
});

describe('resources the service does not have', () => {
  it('an entity set in the wrong case (Account): 404 0x8006088a with the exact message', async () => {
    const response = await api(emulator(), 'GET', 'Account');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: '0x8006088a', message: "Resource not found for the segment 'Account'." } });
  });

  it('an unknown navigation or property segment', async () => {
    const sam = user(emulator(), DEMO.sam).systemuserid;
    const response = await api(emulator(), 'GET', `systemusers(${sam})/nothing_here`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: '0x8006088a', message: "Resource not found for the segment 'nothing_here'." } });
  });

  it.each(['v8.0', 'v9.3', 'v10.0', 'latest'])('an unknown API version (%s): 404 "No HTTP resource"', async (version) => {
    const response = await api(emulator(), 'GET', `/api/data/${version}/WhoAmI`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: { code: '', message: `No HTTP resource was found that matches the request URI '${emulator().url}/api/data/${version}/WhoAmI'.` },
    });
  });

  it('a path outside the Web API gets a JSON 404', async () => {
    const response = await api(emulator(), 'GET', '/no/such/thing');
    expect(response.status).toBe(404);
    expect(response.json.error).toBeDefined();
  });
});

describe('bad request syntax', () => {
  it.each([
    ['an unbalanced parenthesis', 'accounts(00000000-0000-0000-0000-000000000001'],
    ['a key that is not a GUID', 'accounts(not-a-guid)'],
    ['an unterminated quoted key', "accounts('abc)"],
    ['bad percent-encoding in the path', 'accounts%ZZ'],
    ['bad percent-encoding in the query', 'accounts?$select=%E0%A4%A'],
    ['a query option given twice', 'accounts?$top=1&$top=2'],
  ])('%s is a 400 in the OData error shape', async (_label, path) => {
    const response = await api(emulator(), 'GET', path);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('a URL longer than the 32 KB the service allows: 414', async () => {
    const response = await api(emulator(), 'GET', `WhoAmI?x=${'a'.repeat(33_000)}`);
    expect(response.status).toBe(414);
  });

  it('a long URL within the service limit (20 KB) is still served', async () => {
    const response = await api(emulator(), 'GET', `WhoAmI?x=${'a'.repeat(20_000)}`);
    expect(response.status).toBe(200);
  });

  it('a request line node cannot parse gets a plain 400 and the socket is closed', async () => {
    const url = new URL(emulator().url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end('THIS IS NOT HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('unsupported methods', () => {
  it.each([
    ['PUT', 'accounts'],
    ['PATCH', 'accounts'],
    ['DELETE', 'accounts'],
    ['POST', 'accounts(00000000-0000-0000-0000-000000000001)'],
    ['PUT', 'accounts(00000000-0000-0000-0000-000000000001)'],
  ])('%s %s: 405 in the OData error shape', async (method, path) => {
    const response = await api(emulator(), method, path, { rawBody: '{}' });
    expect(response.status).toBe(405);
    expect(response.json.error).toEqual({ code: expect.any(String), message: expect.any(String) });
  });

  it('an unknown HTTP method gets an answer, not a crash', async () => {
    const status = await rawRequest({ method: 'BREW', path: '/api/data/v9.2/accounts' });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });
});

describe('bodies', () => {
  it('a body over the size limit: 413', async () => {
    const huge = Buffer.alloc(117 * 1024 * 1024, 0x61);
    const { status, headers, body } = await rawExchange({
      method: 'POST',
      path: '/api/data/v9.2/accounts',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${emulator().issueToken(DEMO.app)}` },
      body: huge,
    });
    expect(status).toBe(413);
    // The same OData error as every other, with the activity id headers a client quotes in a support case.
    expect(JSON.parse(body)).toEqual({ error: { code: '0x80048d19', message: 'Request message size exceeded the maximum allowed.' } });
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['odata-version']).toBe('4.0');
    expect(headers['req_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-ms-service-request-id']).toBe(headers['req_id']);
    expect(headers['connection']).toBe('close');
  });

  it.each([
    ['truncated JSON', '{"name": "Broken'],
    ['not JSON at all', 'name=Broken'],
    ['a JSON array', '[{"name":"Broken"}]'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ])('an unparseable create body (%s): 400', async (_label, body) => {
    const status = await rawRequest({
      method: 'POST',
      path: '/api/data/v9.2/accounts',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${emulator().issueToken(DEMO.app)}` },
      body: typeof body === 'string' ? Buffer.from(body) : body,
    });
    expect(status).toBe(400);
  });

  it('a client that hangs up mid-body does not hurt the emulator', async () => {
    const url = new URL(emulator().url);
    const accountsBefore = emulator().core.store.rows('account').size;
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/data/v9.2/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nAuthorization: Bearer ${emulator().issueToken(DEMO.app)}\r\n\r\n{"name":"half`,
          // Hang up as soon as the half body has left: the emulator is mid-read.
          () => socket.destroy(),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // Still serving, and the half-sent row was never created.
    expect((await api(emulator(), 'GET', 'WhoAmI')).status).toBe(200);
    expect(emulator().core.store.rows('account').size).toBe(accountsBefore);
  });
});

describe('a flood of garbage', () => {
  it('hundreds of malformed, hostile and random requests each get an answer below 500, and nothing changes', async () => {
    const random = seededRandom(20260105);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const token = emulator().issueToken(DEMO.app);
    const sam = user(emulator(), DEMO.sam);
    const firstAccount = [...emulator().core.store.rows('account').keys()][0] as string;
    const paths = [
      '/api/data/v9.2/accounts',
      `/api/data/v9.2/accounts(${firstAccount})`,
      `/api/data/v9.2/accounts(${firstAccount})/name`,
      '/api/data/v9.2/accounts/$count',
      '/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.CreateMultiple',
      '/api/data/v9.2/$batch',
      '/api/data/v9.2/WhoAmI',
      `/api/data/v9.2/systemusers(${sam.systemuserid})/systemuserroles_association/$ref`,
      `/api/data/v9.2/systemusers(${sam.systemuserid})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)`,
      "/api/data/v9.2/EntityDefinitions(LogicalName='account')",
      '/api/data/v9.2/contacts',
      '/api/data/v9.2/',
    ];
    const queries = [
      '',
      '?$filter=name eq',
      "?$filter=name eq 'O''Brien",
      '?$filter=((((((((((((',
      '?$select=,,,&$top=-1',
      '?$expand=createdby($select=fullname;$expand=createdby($expand=createdby))',
      "?@p1={'@odata.id':'accounts(",
      '?$orderby=name desc desc',
      '?$top=99999999999999999999',
      "?$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=[",
      '?%00=%00',
      '?$skiptoken=%3Ccookie%20page%3D%22x',
    ];
    const bodies = [
      '',
      '{',
      '{"name":',
      '[1,2,3',
      '{"Targets":[{"name":"x"}',
      '{"@odata.id":',
      '--batch_x\r\nContent-Type: application/http\r\n\r\nGET /x HTTP/1.1\r\n',
      '\u0000\u0001\u0002',
      'null',
      '{"name": "' + 'z'.repeat(5000),
    ];
    const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD', 'MERGE'];
    const authorizations = [`Bearer ${token}`, 'Bearer x.y.z', '', `Bearer ${token}x`, 'Negotiate abc'];
    const callers = ['', sam.azureactivedirectoryobjectid as string, 'not-a-guid', '00000000-0000-0000-0000-000000000000', "'; DROP TABLE"];
    const preferences = ['', 'return=representation', 'odata.maxpagesize=-5', 'odata.include-annotations="*"', 'odata.maxpagesize=abc,,,'];

    const statuses: number[] = [];
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 20 }, () => {
        const headers: Record<string, string> = { 'Content-Type': pick(['application/json', 'text/plain', 'multipart/mixed;boundary=batch_x', '']) };
        const authorization = pick(authorizations);
        if (authorization) headers.Authorization = authorization;
        const caller = pick(callers);
        if (caller) headers[pick(['CallerObjectId', 'MSCRMCallerID'])] = caller;
        const prefer = pick(preferences);
        if (prefer) headers.Prefer = prefer;
        const method = pick(methods);
        const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(mangle(pick(bodies), random));
        return rawRequest({ method, path: mangle(pick(paths), random, 0.1) + pick(queries), headers, ...(body ? { body } : {}) });
      });
      statuses.push(...(await Promise.all(batch)));
    }
    expect(statuses).toHaveLength(400);
    expect(statuses.filter((status) => status === 0 || status >= 500)).toEqual([]);
  });
});

/** Changes a few characters, so that paths and bodies are almost right: the interesting case for parsers. */
function mangle(text: string, random: () => number, rate = 0.02): string {
  const noise = ['(', ')', "'", '/', '%', '{', '"', '\\', '$', '@', ',', '='];
  let result = '';
  for (const char of text) {
    const roll = random();
    if (roll < rate / 2) continue;
    result += char;
    if (roll > 1 - rate / 2) result += noise[Math.floor(random() * noise.length)];
  }
  return result;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One request through node:http (any method, any bytes); resolves with the status, 0 if the server hung up. */
function rawRequest(options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer }): Promise<number> {
  return rawExchange(options).then((answer) => answer.status);
}

/** The status, headers and body of a request sent as given (0 when the connection failed). */
function rawExchange(options: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(emulator().url);
  return new Promise((resolve) => {
    let path = options.path;
    // node refuses to send a path with characters that cannot appear in a request line at all.
    if (/[^\x21-\x7e]/.test(path)) path = path.replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char));
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: options.method, path, headers: { ...options.headers, ...(options.body ? { 'Content-Length': String(options.body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        const answer = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', answer);
        res.on('error', answer);
      },
    );
    req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
    if (options.body) req.write(options.body);
    req.end();
  });
}
