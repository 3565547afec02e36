import { entraErrors } from './entra-errors.js';
import { authorizationCodeGrant, type AuthorizationCodeAuthority } from './grants/authorization-code.js';
import { clientCredentialsGrant, type AppTokenResponse, type ClientCredentialsAuthority } from './grants/client-credentials.js';
import { DEVICE_CODE_GRANT_TYPES, deviceCodeGrant, type DeviceCodeAuthority } from './grants/device-code.js';
import { requiredParameter } from './grants/client.js';
import { refreshTokenGrant, type RefreshTokenAuthority } from './grants/refresh-token.js';
import type { TenantSegment } from './tenant.js';
import type { UserTokenResponse } from './user-token-response.js';

/** What the token endpoint reads: whatever one of its grants does. */
export type TokenEndpointAuthority = ClientCredentialsAuthority & DeviceCodeAuthority & RefreshTokenAuthority & AuthorizationCodeAuthority;

/** The token endpoint: one grant per `grant_type`; anything else is Entra's unsupported_grant_type. */
export async function redeemGrant(authority: TokenEndpointAuthority, tenant: TenantSegment, params: URLSearchParams): Promise<AppTokenResponse | UserTokenResponse> {
  const grantType = requiredParameter(params, 'grant_type');
  if (grantType === 'client_credentials') return clientCredentialsGrant(authority, tenant, params);
  if (DEVICE_CODE_GRANT_TYPES.has(grantType)) return deviceCodeGrant(authority, params);
  if (grantType === 'refresh_token') return refreshTokenGrant(authority, params);
  if (grantType === 'authorization_code') return authorizationCodeGrant(authority, params);
  throw entraErrors.unsupportedGrantType(grantType);
}
