import type { EmulatorCore } from '../../core.js';
import type { AuthorizationCodeStore } from '../authorization-codes.js';
import { verifierMatches } from '../authorize/pkce.js';
import { EntraError, entraErrors } from '../entra-errors.js';
import { personById } from '../people.js';
import { parseScopes } from '../scopes.js';
import { userTokenResponse, type UserTokenIssuer, type UserTokenResponse } from '../user-token-response.js';
import { publicClient, requiredParameter, type ClientDirectory } from './client.js';

/** What redeeming an authorization code reads: the clients, the codes issued, and the people. */
export type AuthorizationCodeAuthority = ClientDirectory &
  UserTokenIssuer & { readonly core: Pick<EmulatorCore, 'store'>; readonly authorizationCodes: Pick<AuthorizationCodeStore, 'take'> };

/**
 * `grant_type=authorization_code`: redeems a code from the authorize endpoint for the tokens of the
 * person who signed in (the same as a device code sign-in gets). The request must come from the
 * client the code was issued to, name the same redirect URI, and prove PKCE with the verifier of
 * the challenge; a code is good once and only for a short while. The scopes are the token
 * request's, else those authorized.
 */
export async function authorizationCodeGrant(authority: AuthorizationCodeAuthority, params: URLSearchParams): Promise<UserTokenResponse> {
  const clientId = await publicClient(authority, params);
  const code = requiredParameter(params, 'code');
  const redirectUri = requiredParameter(params, 'redirect_uri');
  const verifier = requiredParameter(params, 'code_verifier');
  const lookup = authority.authorizationCodes.take(code);
  if (lookup.found === 'unknown') throw entraErrors.invalidGrant();
  if (lookup.found === 'redeemed') throw entraErrors.authorizationCodeRedeemed();
  if (lookup.found === 'expired') throw entraErrors.authorizationCodeExpired();
  const { grant } = lookup;
  if (grant.clientId !== clientId) throw entraErrors.invalidGrant();
  if (redirectUri !== grant.redirectUri) throw entraErrors.redirectUriMismatch(redirectUri, grant.redirectUri);
  if (!verifierMatches(verifier, grant.codeChallenge, grant.codeChallengeMethod)) throw entraErrors.codeVerifierMismatch();
  const person = personById(authority.core.store, grant.userId);
  if (!person) throw entraErrors.invalidGrant();
  const scopes = parseScopes(params.get('scope') || grant.scope);
  if (scopes instanceof EntraError) throw scopes;
  return userTokenResponse(authority, {
    person,
    clientId,
    scopes,
    clientInfo: params.get('client_info') === '1',
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
  });
}
