export interface WebApiLogEntry {
  method: string;
  /** Path and query exactly as sent, e.g. `/api/data/v9.2/accounts?$top=1`. */
  target: string;
  /** ISO 8601 time the request arrived. */
  at: string;
}

/**
 * What the Web API was asked, in order of arrival, whatever became of it (throttled, faulted,
 * dropped, answered). Tests read it to prove that a client sent nothing that writes, e.g. after
 * refusing a malformed input file. Bounded so that a long-running emulator does not grow without
 * limit; the parts of a `$batch` are inside its one POST.
 */
export class WebApiRequestLog {
  private static readonly MAX_ENTRIES = 10_000;
  private readonly items: WebApiLogEntry[] = [];

  record(method: string, target: string, at: Date = new Date()): void {
    this.items.push({ method, target, at: at.toISOString() });
    if (this.items.length > WebApiRequestLog.MAX_ENTRIES) this.items.shift();
  }

  get entries(): readonly WebApiLogEntry[] {
    return this.items;
  }
}
