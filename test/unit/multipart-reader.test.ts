import { describe, expect, it } from 'vitest';
import { readBatch } from '../../src/emulator/batch/batch-reader.js';
import { readHttpRequest } from '../../src/emulator/batch/http-request-reader.js';
import { readMultipart } from '../../src/emulator/batch/multipart-reader.js';
import { BatchSyntaxError } from '../../src/emulator/batch/syntax-error.js';

const crlf = (lines: string[]) => lines.join('\r\n');
const lf = (lines: string[]) => lines.join('\n');

/** A request part as a client writes it. */
function part(requestLines: string[], mimeHeaders: string[] = []): string[] {
  return ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...mimeHeaders, '', ...requestLines];
}

function batchBody(boundary: string, parts: string[][], close = true): string {
  const lines: string[] = [];
  for (const partLines of parts) lines.push(`--${boundary}`, ...partLines);
  if (close) lines.push(`--${boundary}--`, '');
  return crlf(lines);
}

function changeSet(boundary: string, parts: string[][]): string[] {
  const lines = [`Content-Type: multipart/mixed; boundary=${boundary}`, ''];
  for (const partLines of parts) lines.push(`--${boundary}`, ...partLines);
  lines.push(`--${boundary}--`);
  return lines;
}

function syntaxError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BatchSyntaxError) return error.message;
    throw error;
  }
  throw new Error('expected a BatchSyntaxError');
}

describe('readMultipart', () => {
  it('splits parts at delimiter lines, ignoring the preamble and the epilogue', () => {
    const body = crlf(['preamble', '--b', 'X-A: 1', '', 'first', '--b', 'X-A: 2', '', 'second', 'line', '--b--', 'epilogue']);
    const parts = readMultipart(body, 'b');
    expect(parts.map((p) => [p.headers.get('x-a'), p.content])).toEqual([
      ['1', 'first'],
      ['2', 'second\r\nline'],
    ]);
  });

  it('does not take a longer boundary that starts with the same text for a delimiter', () => {
    const parts = readMultipart(crlf(['--b', '', '--bb is content', '--b--']), 'b');
    expect(parts).toHaveLength(1);
    expect(parts[0]?.content).toBe('--bb is content');
  });

  it('reads bare LF line endings too (the service does; it fails later, on request bodies)', () => {
    const parts = readMultipart(lf(['--b', 'X-A: 1', '', 'body', '--b--']), 'b');
    expect(parts[0]?.content).toBe('body');
  });

  it('answers a missing close delimiter with the reader\'s "unexpected end of input"', () => {
    expect(syntaxError(() => readMultipart(crlf(['--b', '', 'body']), 'b'))).toBe(
      'Encountered an unexpected end of input while reading the batch payload.',
    );
  });

  it.each(['', 'x'.repeat(71)])('refuses the boundary %j (1 to 70 characters)', (boundary) => {
    expect(syntaxError(() => readMultipart('', boundary))).toMatch(/^The boundary delimiter '.*' is invalid\./);
  });

  it('refuses a header line without a colon', () => {
    expect(syntaxError(() => readMultipart(crlf(['--b', 'not a header', '', '--b--']), 'b'))).toBe(
      "The message header 'not a header' is invalid. The header value must be of the format '<header name>: <header value>'.",
    );
  });
});

describe('readHttpRequest', () => {
  it('reads the request line, the headers and the body, dropping trailing blank lines', () => {
    const request = readHttpRequest(crlf(['', 'POST accounts HTTP/1.1', 'Content-Type: application/json', 'Prefer: return=representation', '', '{"name":"A"}', '', '']));
    expect(request).toEqual({
      method: 'POST',
      url: 'accounts',
      headers: { 'content-type': 'application/json', prefer: 'return=representation' },
      body: '{"name":"A"}',
      bareLf: false,
    });
  });

  it("keeps spaces inside the URL, as ODataLib's reader does", () => {
    expect(readHttpRequest("GET accounts?$filter=name eq 'A B' HTTP/1.1").url).toBe("accounts?$filter=name eq 'A B'");
  });

  it('notices a head written with bare LF', () => {
    expect(readHttpRequest(lf(['POST accounts HTTP/1.1', 'Content-Type: application/json', '', '{}'])).bareLf).toBe(true);
  });

  it.each([
    ['GET', "The request line 'GET' is invalid. The request line at the start of each operation must be of the format 'HttpMethod RequestUrl HttpVersion'."],
    ['GET WhoAmI', "The request line 'GET WhoAmI' is invalid. The request line at the start of each operation must be of the format 'HttpMethod RequestUrl HttpVersion'."],
    ['GET WhoAmI HTTP/2', "The HTTP version 'HTTP/2' used in a batch operation request or response is not valid. The value must be 'HTTP/1.1'."],
  ])('refuses the request line %j', (line, message) => {
    expect(syntaxError(() => readHttpRequest(line))).toBe(message);
  });
});

describe('readBatch', () => {
  const type = 'multipart/mixed;boundary=batch_1';

  it('reads requests and change sets in order, with Content-IDs', () => {
    const body = batchBody('batch_1', [
      part(['GET WhoAmI HTTP/1.1', '']),
      changeSet('changeset_1', [
        part(['POST accounts HTTP/1.1', 'Content-Type: application/json', '', '{"name":"A"}'], ['Content-ID: 1']),
        part(['PATCH $1 HTTP/1.1', 'Content-Type: application/json', '', '{"name":"B"}'], ['Content-ID: 2']),
      ]),
    ]);
    const items = readBatch(type, body);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'operation', operation: { method: 'GET', url: 'WhoAmI', body: '' } });
    expect(items[1]).toMatchObject({
      kind: 'changeset',
      operations: [
        { method: 'POST', url: 'accounts', contentId: '1', body: '{"name":"A"}' },
        { method: 'PATCH', url: '$1', contentId: '2', body: '{"name":"B"}' },
      ],
    });
  });

  it('accepts a quoted boundary parameter', () => {
    expect(readBatch('multipart/mixed; boundary="batch_1"', batchBody('batch_1', [part(['GET WhoAmI HTTP/1.1'])]))).toHaveLength(1);
  });

  const one = batchBody('batch_1', [part(['GET WhoAmI HTTP/1.1'])]);
  it.each([
    [undefined, one, 'The batch request must have a "Content-Type" header.'],
    ['application/json', one, "The batch request must have 'multipart/mixed' as the media type."],
    ['multipart/mixed', one, 'The batch request must have a boundary specification in the "Content-Type" header.'],
    [type, batchBody('batch_1', [part(['GET WhoAmI HTTP/1.1'])], false), 'Encountered an unexpected end of input while reading the batch payload.'],
    [
      type,
      batchBody('batch_1', [['Content-Transfer-Encoding: binary', '', 'GET WhoAmI HTTP/1.1']]),
      "The 'Content-Type' header is missing. The 'Content-Type' header must be specified for each MIME part of a batch message.",
    ],
    [
      type,
      batchBody('batch_1', [['Content-Type: application/http', '', 'GET WhoAmI HTTP/1.1']]),
      "A missing or invalid 'Content-Transfer-Encoding' header was found. The 'Content-Transfer-Encoding' header must be specified for each batch operation, and its value must be 'binary'.",
    ],
    [
      type,
      batchBody('batch_1', [['Content-Type: text/plain', '', 'hello']]),
      "The 'Content-Type' header value 'text/plain' is invalid. When this is the start of the change set, the value must be 'multipart/mixed'; otherwise it must be 'application/http'.",
    ],
    [
      type,
      batchBody('batch_1', [changeSet('changeset_1', [part(['GET WhoAmI HTTP/1.1'])])]),
      "An invalid HTTP method 'GET' was detected for a request in a change set. Requests in change sets only support the HTTP methods 'POST', 'PUT', 'DELETE', and 'PATCH'.",
    ],
    [
      type,
      batchBody('batch_1', [changeSet('changeset_1', [changeSet('changeset_2', [part(['POST accounts HTTP/1.1'])])])]),
      'Nested change sets in a batch payload are not supported.',
    ],
    [type, batchBody('batch_1', [part(['POST $batch HTTP/1.1'])]), 'A batch request cannot contain another batch request.'],
    [type, batchBody('batch_1', [part(['POST /api/data/v9.2/$batch HTTP/1.1'])]), 'A batch request cannot contain another batch request.'],
    [
      type,
      batchBody('batch_1', [
        changeSet('changeset_1', [part(['POST accounts HTTP/1.1'], ['Content-ID: 1']), part(['POST accounts HTTP/1.1'], ['Content-ID: 1'])]),
      ]),
      "The content ID '1' was found more than once in the same change set. Content IDs have to be unique across all operations of a change set.",
    ],
    [
      type,
      batchBody('batch_1', [['Content-Type: multipart/mixed', '', '--x', '--x--']]),
      "The content type 'multipart/mixed' specifies a batch payload; however, the payload either does not include a batch boundary or includes more than one boundary. In OData, batch payload content types must specify exactly one batch boundary in the 'boundary' parameter of the content type.",
    ],
  ])('answers content type %j with the service message (case %#)', (contentType, body, message) => {
    expect(syntaxError(() => readBatch(contentType, body))).toBe(message);
  });

  const requests = (count: number) => Array.from({ length: count }, () => part(['GET WhoAmI HTTP/1.1']));
  it('reads 1,000 requests and refuses 1,001', () => {
    expect(readBatch(type, batchBody('batch_1', requests(1000)))).toHaveLength(1000);
    expect(syntaxError(() => readBatch(type, batchBody('batch_1', requests(1001))))).toBe(
      "The current batch message contains too many parts. A maximum number of '1000' query operations and change sets are allowed in a batch message.",
    );
  });

  const posts = (count: number) => Array.from({ length: count }, () => part(['POST accounts HTTP/1.1', '', '{}']));
  it('refuses a change set of 1,001 requests, and 1,001 requests spread over change sets', () => {
    expect(syntaxError(() => readBatch(type, batchBody('batch_1', [changeSet('cs', posts(1001))])))).toBe(
      "The current change set contains too many operations. A maximum number of '1000' operations are allowed in a change set.",
    );
    expect(syntaxError(() => readBatch(type, batchBody('batch_1', [changeSet('cs1', posts(500)), changeSet('cs2', posts(501))])))).toMatch(
      /^The current batch message contains too many parts\./,
    );
  });
});
