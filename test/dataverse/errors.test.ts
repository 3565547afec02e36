import { describe, expect, it } from 'vitest';
import { DataverseApiError, exitCodeFor, parseODataError, toApiError } from '../../src/dataverse/errors.js';
import type { HttpMethod, PipelineRequest } from '../../src/dataverse/pipeline.js';
import { ExitCode } from '../../src/exit-codes.js';
import { RequestHeaders } from '../../src/http/headers.js';
import { toNetworkFailure } from '../../src/http/network-failure.js';

function request(method: HttpMethod = 'GET'): PipelineRequest {
  return { method, url: new URL('https://contoso.crm.dynamics.com/api/data/v9.2/accounts'), headers: RequestHeaders.from() };
}

function errorFor(status: number, code: string, message = 'Something.', headers: Record<string, string> = {}): DataverseApiError {
  return toApiError(request(), { status, headers, body: JSON.stringify({ error: { code, message } }) });
}

describe('Dataverse error → exit code', () => {
  it.each([
    [401, '', ExitCode.Auth],
    [403, '0x80040220', ExitCode.PrivilegeDenied],
    [403, '0x8004A110', ExitCode.PrivilegeDenied],
    [403, '0x8004a110', ExitCode.PrivilegeDenied],
    [403, '0x80040225', ExitCode.PrivilegeDenied],
    [403, '0x80072560', ExitCode.PrivilegeDenied],
    [403, '', ExitCode.PrivilegeDenied],
    [404, '0x80040217', ExitCode.NotFound],
    [404, '', ExitCode.NotFound],
    [429, '0x80072322', ExitCode.Throttled],
    [400, '0x80040203', ExitCode.Usage],
    [412, '0x80040237', ExitCode.Failure],
    [412, '0x80040237', ExitCode.Failure],
    [500, '0x80040216', ExitCode.Failure],
    [503, '', ExitCode.Failure],
  ])('%i %s → exit %i', (status, code, exitCode) => {
    expect(exitCodeFor(status, code || undefined)).toBe(exitCode);
    expect(errorFor(status, code).exitCode).toBe(exitCode);
  });
});

describe('toApiError', () => {
  it('keeps the service message as the sentence, the code, the status and the request id', () => {
    const error = errorFor(403, '0x8004A110', 'User does not have the privilege to act on behalf another user.', {
      'x-ms-service-request-id': 'c0ffee00-0000-0000-0000-000000000001',
    });
    expect(error.message).toBe('User does not have the privilege to act on behalf another user.');
    expect(error.serviceMessage).toBe(error.message);
    expect(error.code).toBe('0x8004A110');
    expect(error.status).toBe(403);
    expect(error.requestId).toBe('c0ffee00-0000-0000-0000-000000000001');
    expect(error.hint).toBe(
      'The signed-in identity needs the prvActOnBehalfOfAnotherUser privilege through a security role assigned to it directly, such as Delegate; a role held through a team does not count.',
    );
  });

  it.each([
    ['0x80040225', /disabled/],
    ['0x80040220', /signed-in identity lacks the privilege/],
  ])('hints for %s', (code, hint) => {
    expect(errorFor(403, code).hint).toMatch(hint);
  });

  it('hints at the impersonation quirk for 0x80040220 when the request was sent with an impersonation header', () => {
    const impersonated: PipelineRequest = { ...request(), headers: RequestHeaders.from({ CallerObjectId: '4e02cfa7-3d42-54d5-8253-74d48a689d01' }) };
    const body = JSON.stringify({ error: { code: '0x80040220', message: 'Principal user (…) is missing prvCreateAccount privilege.' } });
    expect(toApiError(impersonated, { status: 403, headers: {}, body }).hint).toMatch(/both you and the user you act as/);
  });

  it('prefers REQ_ID for the request id', () => {
    expect(errorFor(500, '', 'x', { req_id: 'a', 'x-ms-service-request-id': 'b' }).requestId).toBe('a');
  });

  it('says what happened when the body is not an OData error (a proxy page, an empty 503)', () => {
    const error = toApiError(request('POST'), { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' });
    expect(error.message).toBe('Dataverse answered 502 to POST /api/data/v9.2/accounts.');
    expect(error.code).toBeUndefined();
  });

  it('a 401 says the token was not accepted and how to sign in again', () => {
    const error = errorFor(401, '', 'The bearer token has expired.');
    expect(error.message).toBe('Dataverse did not accept the access token: The bearer token has expired.');
    expect(error.hint).toMatch(/dvas login/);
  });

  it('treats the "no code" code 0x0 as no code', () => {
    expect(errorFor(400, '0x0').code).toBeUndefined();
  });

  it('reads Retry-After into retryAfterMs', () => {
    expect(errorFor(429, '0x80072322', 'x', { 'retry-after': '17' }).retryAfterMs).toBe(17_000);
  });
});

describe('parseODataError', () => {
  it('reads code, message and the error-detail annotations', () => {
    const body = JSON.stringify({
      error: {
        code: '0x80040220',
        message: 'Principal user is missing prvCreateAccount privilege.',
        '@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode': '403',
        '@Microsoft.PowerApps.CDS.HelpLink': 'http://go.microsoft.com/fwlink/?LinkID=398563',
        innererror: { message: 'ignored' },
      },
    });
    expect(parseODataError(body)).toEqual({
      code: '0x80040220',
      message: 'Principal user is missing prvCreateAccount privilege.',
      annotations: {
        '@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode': '403',
        '@Microsoft.PowerApps.CDS.HelpLink': 'http://go.microsoft.com/fwlink/?LinkID=398563',
      },
    });
  });

  it.each(['', 'not json', '{"value":[]}', '{"error":"text"}'])('is undefined for %j', (body) => {
    expect(parseODataError(body)).toBeUndefined();
  });
});

describe('network failures', () => {
  const url = new URL('https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI');
  it.each([
    ['ECONNREFUSED', 'Cannot connect to contoso.crm.dynamics.com: the connection was refused.', true],
    ['ENOTFOUND', 'Cannot find contoso.crm.dynamics.com: the name does not resolve (DNS).', false],
    ['UND_ERR_CONNECT_TIMEOUT', 'Cannot connect to contoso.crm.dynamics.com: no answer in time.', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'contoso.crm.dynamics.com did not answer in time.', true],
    ['UND_ERR_SOCKET', 'The connection to contoso.crm.dynamics.com was closed before the response arrived.', true],
    ['CERT_HAS_EXPIRED', 'Cannot open a trusted TLS connection to contoso.crm.dynamics.com (CERT_HAS_EXPIRED).', false],
  ])('%s → one sentence naming the host, exit 1', (code, message, transient) => {
    const failure = toNetworkFailure(Object.assign(new Error('low-level'), { code }), url);
    expect(failure.message).toBe(message);
    expect(failure.exitCode).toBe(ExitCode.Failure);
    expect(failure.transient).toBe(transient);
    expect(failure.code).toBe(code);
  });

  it('finds the code in the cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(toNetworkFailure(wrapped, url).code).toBe('ECONNRESET');
  });
});
