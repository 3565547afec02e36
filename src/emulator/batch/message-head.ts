import { batchSyntax } from './syntax-error.js';

/** A MIME part or an HTTP message split at its first blank line. */
export interface MessageHead {
  /** The lines before the blank line (start line and/or headers), without line endings. */
  lines: string[];
  /** Everything after the blank line, as sent. */
  content: string;
  /**
   * Whether the head used bare LF line endings instead of CRLF. The service's multipart reader
   * tolerates them, but it then cannot read the body of the request (docs/dataverse-web-api.md §4.3).
   */
  bareLf: boolean;
}

export function splitHead(text: string): MessageHead {
  const separator = /(?:^|\r?\n)\r?\n/.exec(text);
  const head = separator ? text.slice(0, separator.index + separator[0].length) : text;
  return {
    lines: separator ? text.slice(0, separator.index).split(/\r?\n/) : text.split(/\r?\n/),
    content: separator ? text.slice(separator.index + separator[0].length) : '',
    bareLf: /(?:^|[^\r])\n/.test(head),
  };
}

/** Parses `Name: value` lines into a map keyed by the lower-case name; blank lines are skipped. */
export function parseHeaderLines(lines: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw batchSyntax.invalidHeader(line);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}
