import { randomBytes } from 'node:crypto';
import type { CodeChallengeMethod } from './authorize/pkce.js';

/** What an authorization code stands for: who signed in, for which client, and how it must be redeemed. */
export interface AuthorizationGrant {
  clientId: string;
  /** The systemuserid of the person who signed in. */
  userId: string;
  /** The redirect URI the code was sent to: the token request must name the same one. */
  redirectUri: string;
  /** The PKCE challenge: the token request's `code_verifier` must match it by `codeChallengeMethod`. */
  codeChallenge: string;
  codeChallengeMethod: CodeChallengeMethod;
  /** The scopes asked for at the authorize endpoint (used when the token request sends none). */
  scope: string;
  /** The OpenID nonce of the authorize request, echoed in the ID token. */
  nonce?: string;
}

interface StoredCode extends AuthorizationGrant {
  /** Epoch milliseconds after which the code answers "expired". */
  expiresAt: number;
  redeemed: boolean;
}

export type CodeLookup =
  | { found: 'valid'; grant: AuthorizationGrant }
  | { found: 'unknown' }
  | { found: 'redeemed' }
  | { found: 'expired' };

/** Redeemed and expired codes are remembered this long, so a late or second redemption hears why, not "unknown". */
const KEEP_SPENT_MS = 15 * 60_000;

/**
 * The authorization codes the authorize endpoint hands out. A code is good for one redemption
 * within its lifetime (Entra: about 10 minutes); taking it, whatever the outcome of the token
 * request (a wrong verifier too), spends it, as Entra does.
 */
export class AuthorizationCodeStore {
  private readonly codes = new Map<string, StoredCode>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(grant: AuthorizationGrant): string {
    this.prune();
    // Entra's codes are long opaque strings; the prefix only makes the emulator's recognisable in logs.
    const code = `0.emu.code.${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, { ...grant, expiresAt: this.now() + this.lifetimeMs, redeemed: false });
    return code;
  }

  /** Looks a code up and spends it. */
  take(code: string): CodeLookup {
    const stored = this.codes.get(code);
    if (!stored) return { found: 'unknown' };
    if (this.now() >= stored.expiresAt) return { found: 'expired' };
    if (stored.redeemed) return { found: 'redeemed' };
    stored.redeemed = true;
    const { expiresAt: _expiresAt, redeemed: _redeemed, ...grant } = stored;
    return { found: 'valid', grant };
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_SPENT_MS;
    for (const [code, stored] of this.codes) {
      if (stored.expiresAt < cutoff) this.codes.delete(code);
    }
  }
}
