import { STATUS_CODES } from 'node:http';
import type { DataverseResponse } from '../../dataverse/client.js';
import { isRecord } from '../../dataverse/odata.js';
import type { OutputFormat } from '../../options/global-options.js';

/** Where and how `dvas api` writes the answer. */
export interface BodyTarget {
  write(text: string): unknown;
  format: OutputFormat;
  /** stdout is a terminal: JSON pretty-printed, control characters made visible. */
  isTTY: boolean;
}

/** `--include`: the status line and the response headers, then a blank line, as curl -i shows them. */
export function statusAndHeaders(response: Pick<DataverseResponse, 'status' | 'headers'>, target: BodyTarget): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd()];
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`);
  return safe(`${lines.join('\n')}\n\n`, target);
}

/**
 * The body as the service sent it. On a terminal, JSON is pretty-printed and every control
 * character but the line breaks of the layout is shown as U+FFFD (text from the service never
 * drives the terminal); elsewhere the bytes go out unchanged, with a final line break added.
 */
export function bodyText(response: Pick<DataverseResponse, 'body' | 'text' | 'headers'>, target: BodyTarget): string {
  if (response.text === '') return '';
  const json = isJson(response.headers['content-type']) && response.body !== undefined && typeof response.body !== 'string';
  if (target.format === 'ndjson' && json) return ndjsonLines(response.body);
  const text = target.isTTY && json ? JSON.stringify(response.body, null, 2) : response.text;
  return safe(text.endsWith('\n') ? text : `${text}\n`, target);
}

/** A collection's rows one per line; any other JSON value as one line. */
export function ndjsonLines(body: unknown): string {
  if (isRecord(body) && Array.isArray(body.value)) return body.value.map((row) => `${JSON.stringify(row)}\n`).join('');
  return `${JSON.stringify(body)}\n`;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /[/+]json\b/i.test(contentType);
}

function safe(text: string, target: BodyTarget): string {
  return target.isTTY ? text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '\uFFFD') : text;
}
