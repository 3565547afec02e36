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

/** How much the log keeps: the newest requests, up to either limit. */
export interface RequestLogLimits {
  entries: number;
  /** The bodies' total length, in UTF-16 code units (string length). */
  bodyChars: number;
}

/**
 * What the Web API was asked, in order of arrival, whatever became of it (throttled, faulted,
 * dropped, answered). Tests read it to prove that a client sent nothing that writes, e.g. after
 * refusing a malformed input file, or never a caller header a user typed by hand. Bounded so that
 * a long-running emulator does not grow without limit: by count, and by the size of the bodies,
 * since a seeding run sends CreateMultiple bodies of hundreds of rows each (10,000 of them kept
 * whole would be gigabytes). The newest request is always kept. The parts of a `$batch` are inside
 * its one POST.
 */
export class WebApiRequestLog {
  static readonly DEFAULT_LIMITS: RequestLogLimits = { entries: 10_000, bodyChars: 32 * 1024 * 1024 };
  private readonly items: WebApiLogEntry[] = [];
  private bodyChars = 0;

  constructor(private readonly limits: RequestLogLimits = WebApiRequestLog.DEFAULT_LIMITS) {}

  record(request: EmulatorRequest, at: Date): void {
    const headers = { ...request.headers };
    if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/^(\S+)\s.*$/s, '$1 <redacted>');
    this.items.push({ method: request.method, target: request.target, at: at.toISOString(), headers, body: request.body });
    this.bodyChars += request.body.length;
    while (this.items.length > 1 && (this.items.length > this.limits.entries || this.bodyChars > this.limits.bodyChars)) {
      this.bodyChars -= this.items.shift()?.body.length ?? 0;
    }
  }

  get entries(): readonly WebApiLogEntry[] {
    return this.items;
  }
}
