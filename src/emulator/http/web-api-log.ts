import type { EmulatorRequest } from './types.js';

export interface WebApiLogEntry {
  method: string;
  /** Path and query exactly as sent, e.g. `/api/data/v9.2/accounts?$top=1`. */
  target: string;
  /** ISO 8601 time the request arrived. */
  at: string;
  /** Lower-case names, as received; the bearer token itself is left out (`Bearer <redacted>`). */
  headers: Readonly<Record<string, string>>;
  /** The body as sent ('' for none). */
  body: string;
}

/**
 * What the Web API was asked, in order of arrival, whatever became of it (throttled, faulted,
 * dropped, answered). Tests read it to prove that a client sent nothing that writes, e.g. after
 * refusing a malformed input file, or never a caller header a user typed by hand. Bounded so that
 * a long-running emulator does not grow without limit; the parts of a `$batch` are inside its one POST.
 */
export class WebApiRequestLog {
  private static readonly MAX_ENTRIES = 10_000;
  private readonly items: WebApiLogEntry[] = [];

  record(request: EmulatorRequest, at: Date): void {
    const headers = { ...request.headers };
    if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/^(\S+)\s.*$/s, '$1 <redacted>');
    this.items.push({ method: request.method, target: request.target, at: at.toISOString(), headers, body: request.body });
    if (this.items.length > WebApiRequestLog.MAX_ENTRIES) this.items.shift();
  }

  get entries(): readonly WebApiLogEntry[] {
    return this.items;
  }
}
