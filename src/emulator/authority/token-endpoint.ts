import type { EmulatorAuthority } from './authority.js';
import { entraErrors } from './entra-errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant, type AppTokenResponse } from './grants/client-credentials.js';
import { DEVICE_CODE_GRANT_TYPES, deviceCodeGrant } from './grants/device-code.js';
import { requiredParameter } from './grants/client.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import type { TenantSegment } from './tenant.js';
import type { UserTokenResponse } from './user-token-response.js';

/** The token endpoint: one grant per `grant_type`; anything else is Entra's unsupported_grant_type. */
export async function redeemGrant(authority: EmulatorAuthority, tenant: TenantSegment, params: URLSearchParams): Promise<AppTokenResponse | UserTokenResponse> {
  const grantType = requiredParameter(params, 'grant_type');
  if (grantType === 'client_credentials') return clientCredentialsGrant(authority, tenant, params);
  if (DEVICE_CODE_GRANT_TYPES.has(grantType)) return deviceCodeGrant(authority, params);
  if (grantType === 'refresh_token') return refreshTokenGrant(authority, params);
  if (grantType === 'authorization_code') return authorizationCodeGrant(authority, params);
  throw entraErrors.unsupportedGrantType(grantType);
}
