import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { EmulatorResponse } from '../http/types.js';

/** The answer to one request of a batch. */
export interface ResponsePart {
  response: EmulatorResponse;
  /** The request's Content-ID, echoed so clients can match answers to change set requests. */
  contentId?: string;
}

export type ResponseItem = { kind: 'response'; part: ResponsePart } | { kind: 'changeset'; parts: ResponsePart[] };

export interface WrittenBatch {
  /** `multipart/mixed; boundary=batchresponse_<guid>` */
  contentType: string;
  body: string;
}

const CRLF = '\r\n';

/**
 * Writes a batch response as the service does (execute-batch-operations-using-web-api.md): one
 * `--batchresponse_<guid>` part per top-level answer, change sets nested in
 * `--changesetresponse_<guid>` parts, each answer an `application/http` part holding the status
 * line, the headers, a blank line and the body. CRLF throughout, closing delimiters included.
 */
export function writeBatchResponse(items: readonly ResponseItem[], newId: () => string = randomUUID): WrittenBatch {
  const boundary = `batchresponse_${newId()}`;
  const parts = items.map((item) => (item.kind === 'response' ? httpPart(item.part) : changeSetPart(item.parts, newId)));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: multipart(boundary, parts) + CRLF };
}

function changeSetPart(parts: readonly ResponsePart[], newId: () => string): string {
  const boundary = `changesetresponse_${newId()}`;
  return [`Content-Type: multipart/mixed; boundary=${boundary}`, '', multipart(boundary, parts.map(httpPart))].join(CRLF);
}

function httpPart({ response, contentId }: ResponsePart): string {
  const mimeHeaders = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) mimeHeaders.push(`Content-ID: ${contentId}`);
  const statusLine = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd();
  const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`);
  return [...mimeHeaders, '', statusLine, ...headers, '', response.body ?? ''].join(CRLF);
}

/** Each part is preceded by its delimiter; the line break after a part belongs to the next delimiter. */
function multipart(boundary: string, parts: readonly string[]): string {
  return parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('') + `--${boundary}--`;
}
