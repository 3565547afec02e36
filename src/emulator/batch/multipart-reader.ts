import { parseHeaderLines, splitHead } from './message-head.js';
import { batchSyntax, MAX_BOUNDARY_LENGTH } from './syntax-error.js';

/** One body part of a multipart/mixed entity (RFC 2046 §5.1). */
export interface MimePart {
  /** The part's own MIME headers, names lower-case. */
  headers: Map<string, string>;
  /** What follows the part's headers, up to (not including) the line break before the next delimiter. */
  content: string;
}

export function validateBoundary(boundary: string): void {
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY_LENGTH) throw batchSyntax.boundaryLength(boundary);
}

/**
 * Splits a multipart/mixed body into its parts. A delimiter is a line `--boundary` (the close
 * delimiter `--boundary--`), optionally followed by spaces; the line break before it belongs to
 * the delimiter. The preamble and the epilogue are ignored, as RFC 2046 says. Line endings may be
 * CRLF or bare LF here: the service reads both, and only later fails on the bodies of LF requests.
 */
export function readMultipart(body: string, boundary: string): MimePart[] {
  validateBoundary(boundary);
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: MimePart[] = [];
  let partStart: number | undefined;
  for (const match of body.matchAll(delimiter)) {
    if (partStart !== undefined) parts.push(readPart(body.slice(partStart, match.index)));
    if (match[1] === '--') return parts;
    partStart = skipLineBreak(body, match.index + match[0].length);
  }
  throw batchSyntax.unexpectedEnd();
}

function readPart(text: string): MimePart {
  const head = splitHead(text);
  return { headers: parseHeaderLines(head.lines), content: head.content };
}

function skipLineBreak(text: string, index: number): number {
  if (text.startsWith('\r\n', index)) return index + 2;
  if (text.startsWith('\n', index)) return index + 1;
  return index;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
