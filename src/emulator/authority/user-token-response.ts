import { userTokenClaims } from '../auth/token-claims.js';
import type { EmulatorCore } from '../core.js';
import { signRs256 } from './jwt.js';
import type { Person } from './people.js';
import type { RefreshTokenStore } from './refresh-tokens.js';
import { delegatedScopeClaim, type RequestedScopes } from './scopes.js';
import type { SigningKey } from './signing-key.js';

/** What issuing a person's tokens takes: the access token service, refresh tokens, and the ID token key and issuer. */
export interface UserTokenIssuer {
  readonly core: Pick<EmulatorCore, 'tokens' | 'options' | 'tenantId' | 'clock'>;
  readonly refreshTokens: Pick<RefreshTokenStore, 'issue'>;
  readonly idTokenKey: Pick<SigningKey, 'get'>;
  /** The issuer of ID tokens (the openid-configuration's). */
  readonly issuer: string;
}

/** The token response for a person's sign-in (device code, authorization code, refresh), as Entra's v2 endpoint shapes it. */
export interface UserTokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

/**
 * Issues what a person's sign-in gets: an access token for the requested resource (the Web API
 * checks its `aud`), a refresh token when `offline_access` was asked for, an ID token for `openid`,
 * and `client_info` (base64url `{"uid":oid,"utid":tid}`) when the client asks for it, which msal
 * does: it is how msal names the account in its cache (`<oid>.<tid>`).
 */
export async function userTokenResponse(
  authority: UserTokenIssuer,
  signIn: { person: Person; clientId: string; scopes: RequestedScopes; clientInfo: boolean; nonce?: string },
): Promise<UserTokenResponse> {
  const { core } = authority;
  const { person, clientId, scopes } = signIn;
  const lifetimeSeconds = core.options.tokenLifetimeSeconds;
  const { token, expiresIn } = core.tokens.issue(
    userTokenClaims(person, { clientId, audience: scopes.resource, scope: delegatedScopeClaim(scopes.permissions), lifetimeSeconds }),
  );
  const response: UserTokenResponse = {
    token_type: 'Bearer',
    scope: scopes.all.join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
  if (scopes.wantsRefreshToken) response.refresh_token = authority.refreshTokens.issue({ clientId, userId: person.systemuserid });
  if (scopes.wantsIdToken) response.id_token = await idToken(authority, person, clientId, lifetimeSeconds, signIn.nonce);
  if (signIn.clientInfo) response.client_info = clientInfoOf(person, core.tenantId);
  return response;
}

/** Entra's `client_info`: base64url `{"uid":oid,"utid":tid}`, in token responses and authorize answers. */
export function clientInfoOf(person: Person, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: person.objectId, utid: tenantId })).toString('base64url');
}

async function idToken(authority: UserTokenIssuer, person: Person, clientId: string, lifetimeSeconds: number, nonce: string | undefined): Promise<string> {
  const { privateKey, kid } = await authority.idTokenKey.get();
  const issuedAt = Math.floor(authority.core.clock.now() / 1000);
  return signRs256(
    { kid },
    {
      aud: clientId,
      iss: authority.issuer,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + lifetimeSeconds,
      name: person.fullname,
      // The authorize request's nonce, so the client can tie the ID token to its sign-in (OpenID Connect).
      ...(nonce !== undefined ? { nonce } : {}),
      oid: person.objectId,
      preferred_username: person.username,
      sub: person.objectId,
      tid: authority.core.tenantId,
      ver: '2.0',
    },
    privateKey,
  );
}
