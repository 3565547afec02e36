/** Which of the authority's endpoints a request reached. */
export type AuthorityEndpoint = 'openid-configuration' | 'token' | 'devicecode' | 'authorize' | 'keys';

export interface AuthorityLogEntry {
  endpoint: AuthorityEndpoint;
  /** The `grant_type` of a token request. */
  grantType?: string;
  clientId?: string;
  status: number;
  /** The OAuth error answered (`invalid_client`, `authorization_pending`…), when the status is not 200. */
  error?: string;
  /** ISO 8601 time the request was answered. */
  at: string;
}

/**
 * What the sign-in authority was asked, in order. Tests read it to prove that a client reuses its
 * cached tokens (no new `token` entry) or polls a device code (`authorization_pending` entries).
 * The emulator serves it over HTTP as well (GET /_emulator/authority/log), for clients that run in
 * another process. Bounded so that a long-running emulator does not grow without limit.
 */
export class AuthorityRequestLog {
  private static readonly MAX_ENTRIES = 10_000;
  private readonly items: AuthorityLogEntry[] = [];
  private tokenCount = 0;

  record(entry: Omit<AuthorityLogEntry, 'at'>, at: Date): void {
    if (entry.endpoint === 'token') this.tokenCount++;
    this.items.push({ ...entry, at: at.toISOString() });
    if (this.items.length > AuthorityRequestLog.MAX_ENTRIES) this.items.shift();
  }

  get entries(): readonly AuthorityLogEntry[] {
    return this.items;
  }

  /** Requests to the token endpoint since the emulator started, whatever their outcome. */
  get tokenRequests(): number {
    return this.tokenCount;
  }

  toJSON(): { tokenRequests: number; entries: readonly AuthorityLogEntry[] } {
    return { tokenRequests: this.tokenCount, entries: this.items };
  }
}
