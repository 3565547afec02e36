import { appTokenClaims } from '../../auth/token-claims.js';
import type { EmulatorCore } from '../../core.js';
import { EntraError, entraErrors } from '../entra-errors.js';
import { parseScopes } from '../scopes.js';
import type { TenantSegment } from '../tenant.js';
import { confidentialClient, requiredParameter, type ClientDirectory } from './client.js';

/** What the client credentials grant reads: the clients, the application users and the token service. */
export type ClientCredentialsAuthority = ClientDirectory & { readonly core: Pick<EmulatorCore, 'security' | 'tokens' | 'options'> };

export interface AppTokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/**
 * `grant_type=client_credentials`: an application user signs in as itself with its secret,
 * certificate or federated workload token. The token names the application user's Entra object id
 * (`oid`), the client id (`appid`) and `idtyp: app`; its `aud` is the resource of the one
 * `<resource>/.default` scope. No refresh token, no ID token, as on Entra.
 */
export async function clientCredentialsGrant(authority: ClientCredentialsAuthority, tenant: TenantSegment, params: URLSearchParams): Promise<AppTokenResponse> {
  // No user is named, so only the tenant id can say which tenant is meant (msal refuses the aliases too).
  if (tenant !== 'tenant') throw entraErrors.noTenantIdentified();
  const application = await confidentialClient(authority, params);
  const scope = requiredParameter(params, 'scope');
  const scopes = parseScopes(scope);
  if (scopes instanceof EntraError) throw scopes;
  const notDefault = scopes.all.find((item) => !item.endsWith('/.default'));
  if (notDefault !== undefined || scopes.all.length !== 1) throw entraErrors.clientCredentialsNeedDefaultScope(notDefault ?? scope);
  const { core } = authority;
  const appUser = core.security.user(application.userId);
  const objectId = typeof appUser?.azureactivedirectoryobjectid === 'string' ? appUser.azureactivedirectoryobjectid : '';
  const { token, expiresIn } = core.tokens.issue(
    appTokenClaims(objectId, { clientId: application.clientId, audience: scopes.resource, lifetimeSeconds: core.options.tokenLifetimeSeconds }),
  );
  return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
}
