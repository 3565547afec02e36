import { describe, expect, it } from 'vitest';
import { writeBatchResponse } from '../../src/emulator/batch/multipart-writer.js';

function ids(...values: string[]) {
  const queue = [...values];
  return () => queue.shift() ?? 'exhausted';
}

describe('writeBatchResponse', () => {
  it('writes parts, nested change sets and closing delimiters with CRLF, in the service layout', () => {
    const created = { status: 204, headers: { 'OData-Version': '4.0', 'OData-EntityId': 'http://x/api/data/v9.2/accounts(1)' } };
    const read = { status: 200, headers: { 'OData-Version': '4.0', 'Content-Type': 'application/json' }, body: '{"a":1}' };
    const written = writeBatchResponse(
      [
        { kind: 'changeset', parts: [{ response: created, contentId: '1' }] },
        { kind: 'response', part: { response: read } },
      ],
      ids('B', 'C'),
    );
    expect(written.contentType).toBe('multipart/mixed; boundary=batchresponse_B');
    expect(written.body.split('\r\n')).toEqual([
      '--batchresponse_B',
      'Content-Type: multipart/mixed; boundary=changesetresponse_C',
      '',
      '--changesetresponse_C',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 204 No Content',
      'OData-Version: 4.0',
      'OData-EntityId: http://x/api/data/v9.2/accounts(1)',
      '',
      '',
      '--changesetresponse_C--',
      '--batchresponse_B',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 200 OK',
      'OData-Version: 4.0',
      'Content-Type: application/json',
      '',
      '{"a":1}',
      '--batchresponse_B--',
      '',
    ]);
    expect(written.body.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('writes the reason phrase of each status', () => {
    const written = writeBatchResponse([{ kind: 'response', part: { response: { status: 412, headers: {} } } }], ids('B'));
    expect(written.body).toContain('\r\nHTTP/1.1 412 Precondition Failed\r\n');
  });

  it('writes an empty batch as just the close delimiter', () => {
    expect(writeBatchResponse([], ids('B')).body).toBe('--batchresponse_B--\r\n');
  });
});
