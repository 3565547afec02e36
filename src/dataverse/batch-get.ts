import { randomUUID } from 'node:crypto';

/**
 * One GET inside `$batch`, for a URL longer than Dataverse takes on a GET: "Sending a GET request
 * within a $batch allows for URLs up to 64 KB (65,536 characters)" (use-fetchxml-web-api, "Use
 * FetchXML with a long URL"). The inner request line is the path under the environment.
 */

/** The longest GET URL (path and query) Dataverse serves outside $batch: 32 KB. */
export const MAX_GET_URL = 32_768;

export interface BatchedGet {
  contentType: string;
  body: string;
}

export function batchedGet(url: URL, prefer: readonly string[]): BatchedGet {
  const boundary = `batch_${randomUUID()}`;
  const lines = [
    `--${boundary}`,
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    'Accept: application/json',
    ...(prefer.length > 0 ? [`Prefer: ${prefer.join(', ')}`] : []),
    '',
    `--${boundary}--`,
    '',
  ];
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join('\r\n') };
}

export interface BatchedAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** The answer to the one GET of a batch: the first part's status line, headers and body; undefined when unreadable. */
export function readBatchedAnswer(contentType: string | undefined, text: string): BatchedAnswer | undefined {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
  if (!boundary) return undefined;
  const part = text.split(`--${boundary}`)[1];
  if (part === undefined) return undefined;
  // The part's own headers (Content-Type: application/http…), then the HTTP message.
  const message = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
  const [, head, ...rest] = message;
  if (head === undefined) return undefined;
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: rest.join('\n\n').replace(/\r?\n$/, '') };
}
