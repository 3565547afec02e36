import { EntraError, entraErrors } from './entra-errors.js';

/** Scopes that ask for sign-in artefacts (ID token, refresh token), not for access to a resource. */
const OPENID_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Where a token for scopes that name no resource goes, as on Entra: Microsoft Graph. */
const DEFAULT_RESOURCE = 'https://graph.microsoft.com';

export interface RequestedScopes {
  /** Every scope, in request order: what the token response echoes. */
  all: string[];
  /** The resource the access token is for (its `aud`), e.g. the environment URL. */
  resource: string;
  /** The permission names on that resource (`user_impersonation`, `.default`). */
  permissions: string[];
  wantsIdToken: boolean;
  wantsRefreshToken: boolean;
}

/**
 * Reads a `scope` parameter: `<resource>/.default`, `<resource>/user_impersonation`, plus the
 * OpenID scopes msal adds for user sign-ins. A token is for exactly one resource, as on Entra:
 * scopes of two resources are refused.
 */
export function parseScopes(scope: string): RequestedScopes | EntraError {
  const all = scope.split(' ').filter((item) => item !== '');
  const resources = new Set<string>();
  const permissions: string[] = [];
  for (const item of all) {
    if (OPENID_SCOPES.has(item.toLowerCase())) continue;
    const slash = item.lastIndexOf('/');
    resources.add(slash > 0 ? item.slice(0, slash) : DEFAULT_RESOURCE);
    permissions.push(slash > 0 ? item.slice(slash + 1) : item);
  }
  if (resources.size > 1) return entraErrors.moreThanOneResource(scope);
  const lower = all.map((item) => item.toLowerCase());
  return {
    all,
    resource: resources.values().next().value ?? DEFAULT_RESOURCE,
    permissions,
    wantsIdToken: lower.includes('openid'),
    wantsRefreshToken: lower.includes('offline_access'),
  };
}

/**
 * The `scp` claim of a user token. `.default` stands for the permissions consented to, which for
 * Dataverse is its one delegated permission, `user_impersonation`.
 */
export function delegatedScopeClaim(permissions: readonly string[]): string {
  const names = permissions.map((permission) => (permission === '.default' ? 'user_impersonation' : permission));
  return [...new Set(names.length ? names : ['user_impersonation'])].join(' ');
}
