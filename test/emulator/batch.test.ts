import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user, type ApiResponse } from '../helpers/emulator.js';

const emulator = useEmulator();

// ---- Writing batches by hand, as a client does (CRLF, docs/dataverse-web-api.md §4.3) ----

interface PartRequest {
  headers?: Record<string, string>;
  body?: unknown;
  contentId?: string;
}

/** One `application/http` part: MIME headers, a blank line, the request line, headers, a blank line, the body. */
function op(method: string, url: string, options: PartRequest = {}): string[] {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (options.contentId) mime.push(`Content-ID: ${options.contentId}`);
  const headers = Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
  if (options.body !== undefined) headers.push('Content-Type: application/json; type=entry');
  const body = options.body === undefined ? [] : [JSON.stringify(options.body)];
  return [...mime, '', `${method} ${url} HTTP/1.1`, ...headers, '', ...body];
}

function changeSet(boundary: string, parts: string[][], mimeHeaders: string[] = []): string[] {
  const lines = [`Content-Type: multipart/mixed; boundary=${boundary}`, ...mimeHeaders, ''];
  for (const part of parts) lines.push(`--${boundary}`, ...part);
  lines.push(`--${boundary}--`);
  return lines;
}

function batchBody(parts: string[][], boundary = 'batch_AAA123'): string {
  const lines: string[] = [];
  for (const part of parts) lines.push(`--${boundary}`, ...part);
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

async function postBatch(
  parts: string[][],
  options: { as?: string; headers?: Record<string, string>; rawBody?: string; token?: string | null } = {},
): Promise<ApiResponse> {
  return api(emulator(), 'POST', '$batch', {
    ...options,
    headers: { 'Content-Type': 'multipart/mixed;boundary=batch_AAA123', ...options.headers },
    rawBody: options.rawBody ?? batchBody(parts),
  });
}

// ---- Reading the multipart answer: a small, independent parser ----

interface Answer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  json: any;
  contentId?: string;
}
type AnswerItem = Answer | { changeSet: Answer[] };

function boundaryOf(contentType: string | null): string {
  const match = /^multipart\/mixed; boundary=(\S+)$/.exec(contentType ?? '');
  if (!match) throw new Error(`not a multipart answer: ${contentType}`);
  return match[1] as string;
}

function splitMultipart(text: string, boundary: string): string[] {
  const close = `--${boundary}--`;
  const end = text.lastIndexOf(close);
  if (end === -1) throw new Error(`no close delimiter ${close}`);
  return text
    .slice(0, end)
    .split(`--${boundary}\r\n`)
    .slice(1)
    .map((part) => part.replace(/\r\n$/, ''));
}

function headerBlock(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

function parseItem(part: string): AnswerItem {
  const split = part.indexOf('\r\n\r\n');
  const mime = headerBlock(part.slice(0, split));
  const rest = part.slice(split + 4);
  const contentType = mime['content-type'] ?? '';
  if (contentType.startsWith('multipart/mixed')) {
    return { changeSet: splitMultipart(rest, boundaryOf(contentType)).map((inner) => parseItem(inner) as Answer) };
  }
  expect(contentType).toBe('application/http');
  expect(mime['content-transfer-encoding']).toBe('binary');
  const headEnd = rest.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = rest.slice(0, headEnd).split('\r\n');
  const body = rest.slice(headEnd + 4);
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  const answer: Answer = { status: Number(statusLine.split(' ')[1]), headers: headerBlock(headerLines.join('\r\n')), body, json };
  expect(statusLine).toMatch(/^HTTP\/1\.1 \d{3} \S/);
  if (mime['content-id'] !== undefined) answer.contentId = mime['content-id'];
  return answer;
}

function answers(response: ApiResponse): AnswerItem[] {
  expect(response.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const boundary = boundaryOf(response.headers.get('content-type'));
  expect(boundary).toMatch(/^batchresponse_[0-9a-f-]{36}$/);
  return splitMultipart(response.text, boundary).map(parseItem);
}

function single(item: AnswerItem | undefined): Answer {
  if (!item || 'changeSet' in item) throw new Error('expected a single answer');
  return item;
}

function changeSetAnswers(item: AnswerItem | undefined): Answer[] {
  if (!item || !('changeSet' in item)) throw new Error('expected a change set answer');
  return item.changeSet;
}

// ---- The tests ----

describe('$batch: requests outside change sets', () => {
  it('answers 200 multipart/mixed with one application/http part per request, in request order', async () => {
    const response = await postBatch([
      op('GET', 'WhoAmI'),
      op('GET', '/api/data/v9.2/WhoAmI()'),
      op('GET', `${emulator().url}/api/data/v9.1/WhoAmI`),
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('odata-version')).toBe('4.0');
    const items = answers(response).map(single);
    expect(items).toHaveLength(3);
    const app = user(emulator(), DEMO.app);
    for (const item of items) {
      expect(item.status).toBe(200);
      expect(item.headers['odata-version']).toBe('4.0');
      expect(item.headers['content-type']).toBe('application/json; odata.metadata=minimal');
      expect(item.json.UserId).toBe(app.systemuserid);
    }
    // Relative URLs resolve against the batch's own version; absolute ones keep theirs.
    expect(items.map((item) => item.json['@odata.context'])).toEqual([
      `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      `${emulator().url}/api/data/v9.1/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    ]);
  });

  it('resolves relative URLs against the version of the $batch URL', async () => {
    const response = await api(emulator(), 'POST', '/api/data/v9.0/$batch', {
      headers: { 'Content-Type': 'multipart/mixed; boundary="batch_AAA123"' },
      rawBody: batchBody([op('GET', 'WhoAmI')]),
    });
    expect(single(answers(response)[0]).json['@odata.context']).toContain('/api/data/v9.0/$metadata#');
  });

  it('counts as one request for service protection, however many requests it holds', async () => {
    const before = emulator().core.stats.requests;
    await postBatch([op('GET', 'WhoAmI'), op('GET', 'WhoAmI'), op('GET', 'WhoAmI')]);
    expect(emulator().core.stats.requests - before).toBe(1);
  });

  it('requires a bearer token on the $batch request itself', async () => {
    const response = await postBatch([op('GET', 'WhoAmI')], { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
  });
});

describe('$batch: errors', () => {
  const notFound = () => `No HTTP resource was found that matches the request URI '${emulator().url}/api/data/v9.2/WhoAmI'.`;

  it('stops at the first failed request by default: its answer is the last part and its status the batch status', async () => {
    const response = await postBatch([op('GET', 'WhoAmI'), op('POST', 'WhoAmI'), op('GET', 'WhoAmI')]);
    expect(response.status).toBe(404);
    expect(response.headers.get('preference-applied')).toBeNull();
    const items = answers(response).map(single);
    expect(items.map((item) => item.status)).toEqual([200, 404]);
    expect(items[1]?.json).toEqual({ error: { code: '', message: notFound() } });
    expect(items[1]?.headers['req_id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs every request with Prefer: odata.continue-on-error, each part with its own status', async () => {
    const response = await postBatch([op('GET', 'WhoAmI'), op('POST', 'WhoAmI'), op('GET', 'WhoAmI')], {
      headers: { Prefer: 'odata.continue-on-error' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBe('odata.continue-on-error');
    expect(answers(response).map((item) => single(item).status)).toEqual([200, 404, 200]);
  });

  it.each([
    ['another media type', 'application/json', "The batch request must have 'multipart/mixed' as the media type."],
    ['no boundary', 'multipart/mixed', 'The batch request must have a boundary specification in the "Content-Type" header.'],
    ['an empty boundary', 'multipart/mixed;boundary=', "The boundary delimiter '' is invalid. A boundary delimiter must be non-null, be non-empty, and have a maximum of 70 characters."],
  ])('answers a batch with %s with the whole-batch 400', async (_case, contentType, message) => {
    const response = await api(emulator(), 'POST', '$batch', { headers: { 'Content-Type': contentType }, rawBody: batchBody([op('GET', 'WhoAmI')]) });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code: '0x0', message } });
  });

  // fetch labels a string body text/plain, so this one goes out through node:http without a Content-Type.
  it('answers a batch without any Content-Type with the whole-batch 400', async () => {
    const url = new URL(`${emulator().apiUrl}$batch`);
    const body = batchBody([op('GET', 'WhoAmI')]);
    const result = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', headers: { Authorization: `Bearer ${emulator().issueToken(DEMO.app)}`, 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text)).toEqual({ error: { code: '0x0', message: 'The batch request must have a "Content-Type" header.' } });
  });

  it.each([
    ['a missing terminator', () => batchBody([op('GET', 'WhoAmI')]).replace('--batch_AAA123--\r\n', ''), 'Encountered an unexpected end of input while reading the batch payload.'],
    ['a nested batch', () => batchBody([op('POST', '$batch')]), 'A batch request cannot contain another batch request.'],
    [
      'a GET in a change set',
      () => batchBody([changeSet('changeset_1', [op('GET', 'WhoAmI')])]),
      "An invalid HTTP method 'GET' was detected for a request in a change set. Requests in change sets only support the HTTP methods 'POST', 'PUT', 'DELETE', and 'PATCH'.",
    ],
    [
      'more than 1,000 requests',
      () => batchBody(Array.from({ length: 1001 }, () => op('GET', 'WhoAmI'))),
      "The current batch message contains too many parts. A maximum number of '1000' query operations and change sets are allowed in a batch message.",
    ],
    ['an unreadable request line', () => batchBody([op('GET', 'WhoAmI').map((line) => line.replace(' HTTP/1.1', ''))]), "The request line 'GET WhoAmI' is invalid. The request line at the start of each operation must be of the format 'HttpMethod RequestUrl HttpVersion'."],
  ])('answers %s with the whole-batch 400 and runs nothing', async (_case, body, message) => {
    const before = emulator().core.store.rows('account').size;
    const response = await postBatch([], { rawBody: body() });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.json).toEqual({ error: { code: '0x0', message } });
    expect(emulator().core.store.rows('account').size).toBe(before);
  });

  it('runs 1,000 requests', async () => {
    const response = await postBatch(Array.from({ length: 1000 }, () => op('GET', 'WhoAmI')));
    expect(response.status).toBe(200);
    expect(answers(response)).toHaveLength(1000);
  });

  it('answers an LF-only body with the service 400: the request body "Stream was not readable"', async () => {
    const lfBody = batchBody([op('GET', 'WhoAmI'), op('POST', 'accounts', { body: { name: 'LF account' } })]).replace(/\r\n/g, '\n');
    const before = emulator().core.store.rows('account').size;
    const response = await postBatch([], { rawBody: lfBody });
    expect(response.status).toBe(400);
    const items = answers(response).map(single);
    // The service reads the multipart itself; only the request with a body fails.
    expect(items.map((item) => item.status)).toEqual([200, 400]);
    expect(items[1]?.json).toEqual({
      error: {
        code: '0x80048d19',
        message:
          "Error identified in Payload provided by the user for Entity :'accounts', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : System.ArgumentException: Stream was not readable.",
      },
    });
    expect(emulator().core.store.rows('account').size).toBe(before);
  });

  it('answers a reference to an undeclared Content-ID with the service 400', async () => {
    const response = await postBatch([
      changeSet('changeset_1', [op('PATCH', '$1', { body: { name: 'x' }, contentId: '2' })]),
    ]);
    expect(response.status).toBe(400);
    const [item] = answers(response).map(single);
    expect(item?.contentId).toBe('2');
    expect(item?.json).toEqual({ error: { code: '0x0', message: "Content-ID Reference: '$1' does not exist in the batch context." } });
  });
});

describe('$batch: robustness', () => {
  const part = (request: string) => `--batch_AAA123\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${request}\r\n--batch_AAA123--\r\n`;

  it.each([
    ['an empty body', ''],
    ['only the close delimiter', '--batch_AAA123--'],
    ['binary garbage', '\u0000\u00ff--batch_AAA123\r\n\u0001\u0002'],
    ['a header block that never ends', `--batch_AAA123\r\n${'X-Long: y\r\n'.repeat(5000)}`],
    ['a control character in the URL', part('GET \u0000%ZZ HTTP/1.1')],
    ['a bare origin as the URL', part('GET http:// HTTP/1.1')],
    ['a Content-ID reference outside any change set', part('PATCH $1 HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{}')],
    ['invalid JSON in a change set', `--batch_AAA123\r\nContent-Type: multipart/mixed;boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST accounts HTTP/1.1\r\n\r\n{"name":\r\n--cs--\r\n--batch_AAA123--\r\n`],
    ['an unknown method', part('BREW accounts HTTP/1.1')],
  ])('answers %s without an internal error', async (_case, rawBody) => {
    const response = await postBatch([], { rawBody, headers: { Prefer: 'odata.continue-on-error' } });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    if (response.headers.get('content-type')?.startsWith('multipart/mixed')) {
      for (const item of answers(response)) expect(single(item).status).toBeLessThan(500);
    }
    expect((await postBatch([op('GET', 'WhoAmI')])).status).toBe(200);
  });
});

describe('$batch: impersonation per request', () => {
  const whoAmI = (item: AnswerItem | undefined) => single(item).json.UserId;

  it('applies the outer MSCRMCallerID to every request, unless a request names its own caller', async () => {
    const sam = user(emulator(), DEMO.sam);
    const alex = user(emulator(), DEMO.admin);
    const riley = user(emulator(), DEMO.riley);
    const response = await postBatch(
      [
        op('GET', 'WhoAmI'),
        op('GET', 'WhoAmI', { headers: { CallerObjectId: alex.azureactivedirectoryobjectid ?? '' } }),
        op('GET', 'WhoAmI', { headers: { MSCRMCallerID: riley.systemuserid } }),
        op('GET', 'WhoAmI'),
      ],
      { headers: { MSCRMCallerID: sam.systemuserid } },
    );
    expect(response.status).toBe(200);
    expect(answers(response).map(whoAmI)).toEqual([sam.systemuserid, alex.systemuserid, riley.systemuserid, sam.systemuserid]);
  });

  it('applies the outer CallerObjectId too, and a request may still override it with MSCRMCallerID', async () => {
    const sam = user(emulator(), DEMO.sam);
    const riley = user(emulator(), DEMO.riley);
    const response = await postBatch([op('GET', 'WhoAmI'), op('GET', 'WhoAmI', { headers: { MSCRMCallerID: riley.systemuserid } })], {
      headers: { CallerObjectId: sam.azureactivedirectoryobjectid ?? '' },
    });
    expect(answers(response).map(whoAmI)).toEqual([sam.systemuserid, riley.systemuserid]);
  });

  it('checks impersonation per request: a request naming a disabled user fails alone under continue-on-error', async () => {
    const dana = user(emulator(), DEMO.dana);
    const response = await postBatch([op('GET', 'WhoAmI', { headers: { MSCRMCallerID: dana.systemuserid } }), op('GET', 'WhoAmI')], {
      headers: { Prefer: 'odata.continue-on-error' },
    });
    const items = answers(response).map(single);
    expect(items.map((item) => item.status)).toEqual([403, 200]);
    expect(items[0]?.json.error.code).toBe('0x80040225');
  });

  it('fails the whole batch when the batch itself names a caller its token may not impersonate', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await postBatch([op('GET', 'WhoAmI')], { as: DEMO.riley, headers: { MSCRMCallerID: sam.systemuserid } });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x8004A110');
  });

  it('authenticates every request with the batch token: a caller without Delegate cannot impersonate inside a batch', async () => {
    const sam = user(emulator(), DEMO.sam);
    const response = await postBatch([op('GET', 'WhoAmI', { headers: { MSCRMCallerID: sam.systemuserid } })], { as: DEMO.riley });
    expect(response.status).toBe(403);
    expect(single(answers(response)[0]).json.error.code).toBe('0x8004A110');
  });
});

// ---- Change sets and writes ----

function idIn(entityUrl: string | undefined): string {
  const match = /\(([0-9a-f-]{36})\)$/.exec(entityUrl ?? '');
  if (!match) throw new Error(`not an entity URL: ${entityUrl}`);
  return match[1] as string;
}

const accounts = () => emulator().core.store.rows('account');
const contacts = () => emulator().core.store.rows('contact');
const accountNamed = (name: string) => [...accounts().values()].find((row) => row.name === name);

describe('$batch: change sets', () => {
  it('commits a change set as a whole, nesting its answers in a changesetresponse part with Content-IDs echoed', async () => {
    const response = await postBatch([
      changeSet('changeset_1', [
        op('POST', 'accounts', { body: { name: 'CS committed 1' }, contentId: '1' }),
        op('POST', '/api/data/v9.2/accounts', { body: { name: 'CS committed 2' }, contentId: '2' }),
      ]),
    ]);
    expect(response.status).toBe(200);
    const parts = changeSetAnswers(answers(response)[0]);
    expect(parts.map((part) => [part.status, part.contentId])).toEqual([
      [204, '1'],
      [204, '2'],
    ]);
    for (const part of parts) {
      expect(part.headers['odata-version']).toBe('4.0');
      expect(part.headers['odata-entityid']).toMatch(new RegExp(`^${emulator().url}/api/data/v9\\.2/accounts\\([0-9a-f-]{36}\\)$`));
      expect(part.headers['location']).toBe(part.headers['odata-entityid']);
      expect(part.body).toBe('');
    }
    expect(accounts().get(idIn(parts[0]?.headers['odata-entityid']))?.name).toBe('CS committed 1');
    expect(accounts().get(idIn(parts[1]?.headers['odata-entityid']))?.name).toBe('CS committed 2');
  });

  it('rolls a change set back entirely when one request fails, answering with that request alone', async () => {
    const rowsBefore = accounts().size;
    const createdBefore = emulator().core.stats.rowsCreated.account ?? 0;
    const response = await postBatch([
      changeSet('changeset_1', [
        op('POST', 'accounts', { body: { name: 'CS rolled back' }, contentId: '1' }),
        op('POST', 'accounts', { body: { name: 'CS invalid', nosuchcolumn: 1 }, contentId: '2' }),
      ]),
    ]);
    expect(response.status).toBe(400);
    const [item] = answers(response);
    const failure = single(item);
    expect(failure.status).toBe(400);
    expect(failure.contentId).toBe('2');
    expect(failure.json.error.message).toContain("Invalid property 'nosuchcolumn' was found in entity 'Microsoft.Dynamics.CRM.account'");
    expect(accounts().size).toBe(rowsBefore);
    expect(accountNamed('CS rolled back')).toBeUndefined();
    // The created-row counter counts rows that exist, so it is undone too.
    expect(emulator().core.stats.rowsCreated.account ?? 0).toBe(createdBefore);
  });

  it('keeps earlier units and rolls back only the failed change set under continue-on-error', async () => {
    const response = await postBatch(
      [
        op('POST', 'accounts', { body: { name: 'COE before' } }),
        changeSet('changeset_1', [
          op('POST', 'accounts', { body: { name: 'COE in failed change set' }, contentId: '1' }),
          op('PATCH', '$1', { body: { nosuchcolumn: 1 }, contentId: '2' }),
        ]),
        changeSet('changeset_2', [op('POST', 'accounts', { body: { name: 'COE after' }, contentId: '1' })]),
      ],
      { headers: { Prefer: 'odata.continue-on-error' } },
    );
    expect(response.status).toBe(200);
    const items = answers(response);
    expect(single(items[0]).status).toBe(204);
    expect(single(items[1]).status).toBe(400);
    expect(changeSetAnswers(items[2]).map((part) => part.status)).toEqual([204]);
    expect(accountNamed('COE before')).toBeDefined();
    expect(accountNamed('COE in failed change set')).toBeUndefined();
    expect(accountNamed('COE after')).toBeDefined();
  });

  it('stops at the first failure by default: later requests never run', async () => {
    const response = await postBatch([
      op('POST', 'accounts', { body: { name: 'STOP first' } }),
      op('POST', 'accounts', { body: { nosuchcolumn: 1 } }),
      op('POST', 'accounts', { body: { name: 'STOP never' } }),
    ]);
    expect(response.status).toBe(400);
    expect(answers(response).map((item) => single(item).status)).toEqual([204, 400]);
    expect(accountNamed('STOP first')).toBeDefined();
    expect(accountNamed('STOP never')).toBeUndefined();
  });

  it('runs every request under continue-on-error, each with its own status', async () => {
    const response = await postBatch(
      [
        op('POST', 'accounts', { body: { name: 'CONT first' } }),
        op('POST', 'accounts', { body: { nosuchcolumn: 1 } }),
        op('POST', 'accounts', { body: { name: 'CONT last' } }),
      ],
      { headers: { Prefer: 'odata.continue-on-error' } },
    );
    expect(response.status).toBe(200);
    expect(answers(response).map((item) => single(item).status)).toEqual([204, 400, 204]);
    expect(accountNamed('CONT first')).toBeDefined();
    expect(accountNamed('CONT last')).toBeDefined();
  });
});

describe('$batch: Content-ID references', () => {
  it('binds a contact to the account created earlier in the change set with "$1" in @odata.bind', async () => {
    const response = await postBatch([
      changeSet('changeset_1', [
        op('POST', 'accounts', { body: { name: 'REF account' }, contentId: '1' }),
        op('POST', 'contacts', { body: { lastname: 'REF contact', 'parentcustomerid_account@odata.bind': '$1' }, contentId: '2' }),
      ]),
    ]);
    expect(response.status).toBe(200);
    const [account, contact] = changeSetAnswers(answers(response)[0]);
    const accountId = idIn(account?.headers['odata-entityid']);
    expect(contacts().get(idIn(contact?.headers['odata-entityid']))?.parentcustomerid).toEqual({ table: 'account', id: accountId });
  });

  it('resolves "$n" at the start of a request URL: PATCH $1 and POST $1/contact_customer_accounts/$ref', async () => {
    const response = await postBatch([
      changeSet('changeset_1', [
        op('POST', 'accounts', { body: { name: 'URL ref account' }, contentId: '1' }),
        op('POST', 'contacts', { body: { lastname: 'URL ref contact' }, contentId: '2' }),
        op('PATCH', '$1', { body: { name: 'URL ref account renamed' }, contentId: '3' }),
        op('POST', '$1/contact_customer_accounts/$ref', { body: { '@odata.id': '$2' }, contentId: '4' }),
      ]),
    ]);
    expect(response.status).toBe(200);
    const parts = changeSetAnswers(answers(response)[0]);
    expect(parts.map((part) => part.status)).toEqual([204, 204, 204, 204]);
    const accountId = idIn(parts[0]?.headers['odata-entityid']);
    expect(accounts().get(accountId)?.name).toBe('URL ref account renamed');
    expect(contacts().get(idIn(parts[1]?.headers['odata-entityid']))?.parentcustomerid).toEqual({ table: 'account', id: accountId });
  });

  it('does not let a change set reference a Content-ID of another change set', async () => {
    const response = await postBatch([
      changeSet('changeset_1', [op('POST', 'accounts', { body: { name: 'Other CS account' }, contentId: '1' })]),
      changeSet('changeset_2', [op('PATCH', '$1', { body: { name: 'never' }, contentId: '1' })]),
    ]);
    expect(response.status).toBe(400);
    const items = answers(response);
    expect(changeSetAnswers(items[0]).map((part) => part.status)).toEqual([204]);
    expect(single(items[1]).json.error.message).toBe("Content-ID Reference: '$1' does not exist in the batch context.");
  });
});

describe('$batch: impersonation of writes', () => {
  const lookupId = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? value.id : value);

  it('stamps a create under the outer MSCRMCallerID as the impersonated user, on behalf of the app', async () => {
    const sam = user(emulator(), DEMO.sam);
    const app = user(emulator(), DEMO.app);
    const response = await postBatch([changeSet('changeset_1', [op('POST', 'accounts', { body: { name: 'IMP as Sam' }, contentId: '1' })])], {
      headers: { MSCRMCallerID: sam.systemuserid },
    });
    expect(response.status).toBe(200);
    const row = accounts().get(idIn(changeSetAnswers(answers(response)[0])[0]?.headers['odata-entityid']));
    expect(lookupId(row?.createdby)).toBe(sam.systemuserid);
    expect(lookupId(row?.createdonbehalfby)).toBe(app.systemuserid);
  });

  it('ignores impersonation headers put on a change set part rather than on its requests', async () => {
    const sam = user(emulator(), DEMO.sam);
    const app = user(emulator(), DEMO.app);
    const response = await postBatch([
      changeSet('changeset_1', [op('POST', 'accounts', { body: { name: 'IMP change set header' }, contentId: '1' })], [
        `MSCRMCallerID: ${sam.systemuserid}`,
        `CallerObjectId: ${sam.azureactivedirectoryobjectid ?? ''}`,
      ]),
    ]);
    expect(response.status).toBe(200);
    const row = accounts().get(idIn(changeSetAnswers(answers(response)[0])[0]?.headers['odata-entityid']));
    expect(lookupId(row?.createdby)).toBe(app.systemuserid);
    expect(row?.createdonbehalfby ?? null).toBeNull();
  });

  it("lets a request's own header inside a change set win over the outer one", async () => {
    const sam = user(emulator(), DEMO.sam);
    const alex = user(emulator(), DEMO.admin);
    const response = await postBatch(
      [
        changeSet('changeset_1', [
          op('POST', 'accounts', { body: { name: 'IMP outer Sam' }, contentId: '1' }),
          op('POST', 'accounts', { body: { name: 'IMP own Alex' }, contentId: '2', headers: { CallerObjectId: alex.azureactivedirectoryobjectid ?? '' } }),
        ]),
      ],
      { headers: { MSCRMCallerID: sam.systemuserid } },
    );
    expect(response.status).toBe(200);
    expect(lookupId(accountNamed('IMP outer Sam')?.createdby)).toBe(sam.systemuserid);
    expect(lookupId(accountNamed('IMP own Alex')?.createdby)).toBe(alex.systemuserid);
  });
});

describe('$batch: GETs outside change sets', () => {
  it('answers GETs with rows, after the change set before them has committed', async () => {
    const filter = encodeURIComponent("name eq 'GET batch account'");
    const response = await postBatch([
      changeSet('changeset_1', [op('POST', 'accounts', { body: { name: 'GET batch account' }, contentId: '1' })]),
      op('GET', `accounts?$select=name&$filter=${filter}`),
    ]);
    expect(response.status).toBe(200);
    const [created, read] = answers(response);
    const id = idIn(changeSetAnswers(created)[0]?.headers['odata-entityid']);
    const rows = single(read);
    expect(rows.status).toBe(200);
    expect(rows.json.value).toEqual([expect.objectContaining({ name: 'GET batch account', accountid: id })]);
  });

  it('reads a row by id exactly as a top-level GET does', async () => {
    const id = [...accounts().keys()][0] ?? '';
    const direct = await api(emulator(), 'GET', `accounts(${id})?$select=name`);
    const response = await postBatch([op('GET', `accounts(${id})?$select=name`)]);
    const part = single(answers(response)[0]);
    expect(part.status).toBe(200);
    expect({ ...part.json, '@odata.etag': undefined }).toEqual({ ...direct.json, '@odata.etag': undefined });
  });

  it('reads as the impersonated user of each request: the same rows as a top-level GET under the same header', async () => {
    const sam = user(emulator(), DEMO.sam);
    const alex = user(emulator(), DEMO.admin);
    const names = (value: Array<{ name: string }>) => value.map((row) => row.name).sort();
    const asSam = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { MSCRMCallerID: sam.systemuserid } });
    const asAlex = await api(emulator(), 'GET', 'accounts?$select=name', { headers: { CallerObjectId: alex.azureactivedirectoryobjectid ?? '' } });
    expect(names(asSam.json.value)).not.toEqual(names(asAlex.json.value));

    const response = await postBatch(
      [op('GET', 'accounts?$select=name'), op('GET', 'accounts?$select=name', { headers: { CallerObjectId: alex.azureactivedirectoryobjectid ?? '' } })],
      { headers: { MSCRMCallerID: sam.systemuserid } },
    );
    const [samPart, alexPart] = answers(response).map(single);
    expect(names(samPart?.json.value)).toEqual(names(asSam.json.value));
    expect(names(alexPart?.json.value)).toEqual(names(asAlex.json.value));
  });

  it('accepts a GET URL of up to 64 KB inside a batch, where a plain GET stops at 32 KB', async () => {
    const url = `accounts?$select=name&$filter=${encodeURIComponent(`name ne '${'x'.repeat(40_000)}'`)}`;
    expect((await api(emulator(), 'GET', url)).status).toBe(414);
    const response = await postBatch([op('GET', url)]);
    expect(single(answers(response)[0]).status).toBe(200);
  });
});
