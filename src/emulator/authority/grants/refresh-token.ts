import type { EmulatorCore } from '../../core.js';
import { EntraError, entraErrors } from '../entra-errors.js';
import { personById } from '../people.js';
import { parseScopes } from '../scopes.js';
import type { RefreshTokenStore } from '../refresh-tokens.js';
import { userTokenResponse, type UserTokenIssuer, type UserTokenResponse } from '../user-token-response.js';
import { publicClient, requiredParameter, type ClientDirectory } from './client.js';

/** What redeeming a refresh token reads: the clients, the refresh tokens issued, and the people. */
export type RefreshTokenAuthority = ClientDirectory &
  UserTokenIssuer & { readonly core: Pick<EmulatorCore, 'store'>; readonly refreshTokens: Pick<RefreshTokenStore, 'find' | 'issue'> };

/**
 * `grant_type=refresh_token`: a new access token (and a new refresh token) for the person a
 * refresh token was issued to, for any resource, as Entra's refresh tokens are multi-resource.
 * Only the client the token was issued to may redeem it.
 */
export async function refreshTokenGrant(authority: RefreshTokenAuthority, params: URLSearchParams): Promise<UserTokenResponse> {
  const clientId = await publicClient(authority, params);
  const grant = authority.refreshTokens.find(requiredParameter(params, 'refresh_token'));
  if (!grant) throw entraErrors.malformedRefreshToken();
  if (grant.clientId !== clientId) throw entraErrors.invalidGrant();
  const person = personById(authority.core.store, grant.userId);
  if (!person) throw entraErrors.invalidGrant();
  const scopes = parseScopes(requiredParameter(params, 'scope'));
  if (scopes instanceof EntraError) throw scopes;
  return userTokenResponse(authority, { person, clientId, scopes, clientInfo: params.get('client_info') === '1' });
}
