import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The claims the emulator puts in (and reads from) an access token, as Entra ID names them. */
export interface AccessTokenClaims {
  /** Entra object id of the signed-in user or of the application's service principal. */
  oid: string;
  /** Application (client) id that asked for the token. */
  appid: string;
  tid: string;
  /** The environment URL the token is for (the resource). */
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  sub: string;
  ver: '1.0';
  /** Present for user tokens. */
  name?: string;
  upn?: string;
  /** Delegated scopes ("user_impersonation") for user tokens; absent for app-only tokens. */
  scp?: string;
  /** "app" for application tokens, "user" for delegated ones (Entra's idtyp claim). */
  idtyp: 'app' | 'user';
  /** Unique token id, as Entra's: two tokens issued in the same second for the same sign-in still differ. */
  uti: string;
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'wrong-audience' };

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Issues and verifies the emulator's access tokens: JWTs signed with HS256 under a key made fresh
 * for each emulator instance, so a token from another (or a restarted) emulator fails the
 * signature check just as a token from another tenant fails on the real service.
 */
export class TokenService {
  private readonly key: Buffer;
  /** Verified tokens, so that a client sending the same token thousands of times pays for one HMAC. */
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(
    readonly issuer: string,
    readonly tenantId: string,
    key: Buffer = randomBytes(32),
    private readonly now: () => number = () => Date.now(),
  ) {
    this.key = key;
  }

  issue(claims: Omit<AccessTokenClaims, 'iss' | 'iat' | 'nbf' | 'exp' | 'tid' | 'ver' | 'uti'> & { lifetimeSeconds: number }): {
    token: string;
    expiresIn: number;
  } {
    const issuedAt = Math.floor(this.now() / 1000);
    const { lifetimeSeconds, ...rest } = claims;
    const body: AccessTokenClaims = {
      ...rest,
      tid: this.tenantId,
      iss: this.issuer,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + lifetimeSeconds,
      ver: '1.0',
      uti: randomBytes(16).toString('base64url'),
    };
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(body));
    const signature = this.sign(`${header}.${payload}`);
    return { token: `${header}.${payload}.${signature}`, expiresIn: lifetimeSeconds };
  }

  verify(token: string, audience: string): TokenCheck {
    let claims = this.verified.get(token);
    if (!claims) {
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'malformed' };
      const [header, payload, signature] = parts as [string, string, string];
      const expected = Buffer.from(this.sign(`${header}.${payload}`));
      const actual = Buffer.from(signature);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        return { ok: false, reason: 'bad-signature' };
      }
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (typeof claims !== 'object' || claims === null || typeof claims.exp !== 'number') {
        return { ok: false, reason: 'malformed' };
      }
      // Bounded: a client minting many tokens (short lifetimes in tests) must not grow memory forever.
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    const nowSeconds = this.now() / 1000;
    if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
    if (claims.nbf > nowSeconds + 300) return { ok: false, reason: 'not-yet-valid' };
    if (normalizeAudience(claims.aud) !== normalizeAudience(audience)) return { ok: false, reason: 'wrong-audience' };
    return { ok: true, claims };
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

/** `https://org.crm.dynamics.com/` and `https://org.crm.dynamics.com` name the same resource. */
function normalizeAudience(audience: string): string {
  return audience.replace(/\/+$/, '').toLowerCase();
}
