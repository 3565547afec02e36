import type { AuthorityEndpoint } from './request-log.js';

/**
 * Entra's endpoint paths after `/{tenant}/`. They are a stable contract: dvas builds the same
 * metadata for msal-node from an emulator URL (docs/emulator-authority.md), as msal-config.ts does
 * for tests, and the routes serve exactly these.
 */
export const ENDPOINT_PATHS = {
  'openid-configuration': 'v2.0/.well-known/openid-configuration',
  token: 'oauth2/v2.0/token',
  devicecode: 'oauth2/v2.0/devicecode',
  authorize: 'oauth2/v2.0/authorize',
  keys: 'discovery/v2.0/keys',
} as const satisfies Record<AuthorityEndpoint, string>;

/** The v1 authorize endpoint: where the Web API's bearer challenge points (`authorization_uri`). */
export const AUTHORIZE_V1_PATH = 'oauth2/authorize';

export interface OpenIdConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  device_authorization_endpoint: string;
  jwks_uri: string;
  token_endpoint_auth_methods_supported: string[];
  grant_types_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  scopes_supported: string[];
  claims_supported: string[];
}

/**
 * The issuer is https although the emulator serves plain http: msal-node validates issuers against
 * its authority, and it only accepts https authorities. Endpoints are the real http URLs. For the
 * `common`/`organizations` aliases Entra writes the issuer with a `{tenantid}` placeholder, and so
 * does the emulator.
 */
export function openIdConfiguration(origin: string, tenant: string, issuerTenant: string = tenant): OpenIdConfiguration {
  const host = new URL(origin).host;
  return {
    issuer: `https://${host}/${issuerTenant}/v2.0`,
    authorization_endpoint: `${origin}/${tenant}/${ENDPOINT_PATHS.authorize}`,
    token_endpoint: `${origin}/${tenant}/${ENDPOINT_PATHS.token}`,
    device_authorization_endpoint: `${origin}/${tenant}/${ENDPOINT_PATHS.devicecode}`,
    jwks_uri: `${origin}/${tenant}/${ENDPOINT_PATHS.keys}`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'preferred_username', 'tid', 'ver'],
  };
}
