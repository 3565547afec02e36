import { describe, expect, it } from 'vitest';
import { toApiError } from '../../src/dataverse/errors.js';
import type { PipelineRequest, PipelineResponse } from '../../src/dataverse/pipeline.js';
import { loggingPolicy } from '../../src/dataverse/policies/logging.js';
import { RequestHeaders } from '../../src/http/headers.js';
import { toNetworkFailure } from '../../src/http/network-failure.js';
import { sanitizeHeaders, sanitizeUrl } from '../../src/http/sanitizer.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-payload.signature';

function request(): PipelineRequest {
  return {
    method: 'GET',
    url: new URL("https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select=name&$filter=name%20eq%20'x'&code=abc"),
    headers: RequestHeaders.from({
      Authorization: `Bearer ${TOKEN}`,
      'OData-Version': '4.0',
      CallerObjectId: '0a1b2c3d-1111-2222-3333-444455556666',
      'X-Custom-Secret': 'hunter2',
    }),
  };
}

const response: PipelineResponse = {
  status: 403,
  headers: { 'set-cookie': 'ARRAffinity=abc', req_id: 'f00', 'content-type': 'application/json', 'x-unknown': 'value' },
  body: JSON.stringify({ error: { code: '0x80040220', message: `Principal user is missing prvReadAccount. ${'x'}` } }),
};

describe('logging policy', () => {
  it('logs method, URL, status and time with headers by allowlist, and never a body', async () => {
    let log = '';
    let clock = 1000;
    const policy = loggingPolicy({ write: (text) => (log += text), now: () => (clock += 25) });
    await policy.send(request(), async () => response);
    expect(log).toBe(
      [
        "> GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select=name&$filter=name%20eq%20%27x%27&code=REDACTED", // the URL parser encodes ' in queries: this is what goes on the wire
        '> Authorization: REDACTED',
        '> OData-Version: 4.0',
        '> CallerObjectId: 0a1b2c3d-1111-2222-3333-444455556666',
        '> X-Custom-Secret: REDACTED',
        '< 403 (25 ms)',
        '< set-cookie: REDACTED',
        '< req_id: f00',
        '< content-type: application/json',
        '< x-unknown: REDACTED',
        '',
      ].join('\n'),
    );
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('prvReadAccount');
  });

  it('logs a request that got no response, and passes the error on', async () => {
    let log = '';
    const failure = toNetworkFailure(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), new URL('https://contoso.crm.dynamics.com'));
    const policy = loggingPolicy({ write: (text) => (log += text), now: () => 0 });
    await expect(policy.send(request(), async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(log).toContain('< no response (ECONNREFUSED, 0 ms)');
  });
});

describe('sanitizer (shared by logs, dry runs and errors)', () => {
  it.each(['Authorization', 'authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie'])('always redacts %s', (name) => {
    expect(sanitizeHeaders([[name, 'secret']])).toEqual([[name, 'REDACTED']]);
  });

  it('keeps OData query options and parameter aliases, hides other query values and credentials in the URL', () => {
    expect(sanitizeUrl('https://user:pass@contoso.crm.dynamics.com/api/data/v9.2/x?$top=1&@p1=2&sig=abc')).toBe(
      'https://contoso.crm.dynamics.com/api/data/v9.2/x?$top=1&@p1=2&sig=REDACTED',
    );
    expect(sanitizeUrl("https://contoso.crm.dynamics.com/api/data/v9.2/accounts?fetchXml=%3Cfetch%3E%3C%2Ffetch%3E&savedQuery=1&code=abc")).toBe(
      'https://contoso.crm.dynamics.com/api/data/v9.2/accounts?fetchXml=%3Cfetch%3E%3C%2Ffetch%3E&savedQuery=1&code=REDACTED',
    );
  });

  it('an error built from a response carries only the sanitized exchange', () => {
    const error = toApiError(request(), response);
    const everything = JSON.stringify({ ...error, message: error.message, detail: error.detail });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('ARRAffinity');
    expect(error.detail).toContain('> Authorization: REDACTED');
    expect(error.detail).toContain('< 403');
  });
});
