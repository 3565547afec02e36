import { parseHeaderLines, splitHead } from './message-head.js';
import { batchSyntax } from './syntax-error.js';

/** The HTTP request carried by an `application/http` part. */
export interface HttpRequestPart {
  method: string;
  /** As written: absolute, `/api/data/v9.x/…`, relative to the service root, or `$n/…`. */
  url: string;
  /** Names lower-case, as the dispatcher expects them. */
  headers: Record<string, string>;
  body: string;
  /** The request's head used bare LF line endings (see MessageHead.bareLf). */
  bareLf: boolean;
}

/**
 * Reads `METHOD URL HTTP/1.1`, the headers, a blank line and the body. As ODataLib does, blank
 * lines before the request line are skipped and the URL is everything between the first and the
 * last space (so an unencoded `$filter=name eq 'x'` still reads).
 */
export function readHttpRequest(content: string): HttpRequestPart {
  const head = splitHead(content.replace(/^(?:\r?\n)+/, ''));
  const [requestLine = '', ...headerLines] = head.lines;
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  const url = requestLine.slice(firstSpace + 1, lastSpace).trim();
  if (firstSpace <= 0 || lastSpace === firstSpace || url === '') throw batchSyntax.requestLine(requestLine);
  const version = requestLine.slice(lastSpace + 1);
  if (version !== 'HTTP/1.1') throw batchSyntax.httpVersion(version);
  return {
    method: requestLine.slice(0, firstSpace),
    url,
    headers: Object.fromEntries(parseHeaderLines(headerLines)),
    // Clients often leave blank lines between a body and the next delimiter; they are not content.
    body: head.content.replace(/(?:\r?\n)+$/, ''),
    bareLf: head.bareLf,
  };
}
