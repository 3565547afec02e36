import { UsageError } from '../errors.js';
import { quote } from '../output/terminal-text.js';

/**
 * Request headers, matched case-insensitively but printed with the casing they were first given
 * (so --dry-run and --verbose read like the Dataverse docs: OData-Version, CallerObjectId).
 * Immutable: a policy that adds a header makes a new list, so a retried request never carries
 * what a later policy put on an earlier attempt.
 */
export class RequestHeaders {
  private constructor(private readonly byLowerName: ReadonlyMap<string, readonly [string, string]>) {}

  static from(init: Record<string, string> | Iterable<readonly [string, string]> = []): RequestHeaders {
    const entries = Symbol.iterator in init ? init : Object.entries(init);
    let headers = new RequestHeaders(new Map());
    for (const [name, value] of entries) headers = headers.set(name, value);
    return headers;
  }

  get(name: string): string | undefined {
    return this.byLowerName.get(name.toLowerCase())?.[1];
  }

  has(name: string): boolean {
    return this.byLowerName.has(name.toLowerCase());
  }

  set(name: string, value: string): RequestHeaders {
    // A CR or LF would let a value start a header of its own (header injection).
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`${quote(name)} is not a valid HTTP header name.`);
    if (/[\r\n\0]/.test(value)) throw new UsageError(`The value of the ${name} header contains a line break.`);
    const next = new Map(this.byLowerName);
    const existing = next.get(name.toLowerCase());
    next.set(name.toLowerCase(), [existing?.[0] ?? name, value]);
    return new RequestHeaders(next);
  }

  setIfAbsent(name: string, value: string): RequestHeaders {
    return this.has(name) ? this : this.set(name, value);
  }

  entries(): Array<[string, string]> {
    return [...this.byLowerName.values()].map(([name, value]) => [name, value]);
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }
}
