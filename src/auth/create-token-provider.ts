import { systemClock } from '../clock/clock.js';
import { PUBLIC_CLIENT_ID } from '../dataverse/facts.js';
import type { Profile } from '../profiles/types.js';
import { isTenantId } from '../profiles/validate.js';
import { signInTargetFor, type SignInTarget } from './authority.js';
import { readCachedAccessToken } from './cached-access-token.js';
import { heldInMemory } from './held-token.js';
import type { TokenProviderOptions } from './provider-options.js';
import type { AccessToken, TokenProvider } from './token-provider.js';

export type { TokenProviderOptions } from './provider-options.js';

/**
 * The token provider for a profile's sign-in kind. Nothing is loaded or read here: the kind's
 * module (and with it msal-node) is imported on the first getToken(), and for the msal kinds only
 * when the token cache file holds no usable token. So commands that never call Dataverse,
 * --dry-run, and runs with a cached token never load msal. The token is then held in memory until
 * its refresh window (heldInMemory): the file is read once per process, not once per request.
 */
export function createTokenProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  return heldInMemory(providerFor(profile, options), options.clock ?? systemClock);
}

function providerFor(profile: Profile, options: TokenProviderOptions): TokenProvider {
  switch (profile.auth) {
    case 'client-secret':
      return cacheFirst(profile, options, { clientId: profile.clientId }, async () =>
        (await import('./client-secret.js')).clientSecretProvider(profile, options),
      );
    case 'certificate':
      return cacheFirst(profile, options, { clientId: profile.clientId }, async () =>
        (await import('./certificate.js')).certificateProvider(profile, options),
      );
    case 'workload-identity':
      return cacheFirst(profile, options, { clientId: profile.clientId ?? options.env.AZURE_CLIENT_ID }, async () =>
        (await import('./workload-identity.js')).workloadIdentityProvider(profile, options),
      );
    case 'device-code':
    case 'interactive':
      return cacheFirst(
        profile,
        options,
        // Without the account `dvas login` recorded, which cached account to use is msal's call.
        profile.homeAccountId ? { clientId: profile.clientId ?? PUBLIC_CLIENT_ID, homeAccountId: profile.homeAccountId } : { clientId: undefined },
        async () => (await import('./public-client.js')).publicClientProvider(profile, options),
      );
    case 'managed-identity':
      // msal keeps managed identity tokens in memory only: there is no file to look in.
      return lazyProvider(async () => (await import('./managed-identity.js')).managedIdentityProvider(profile, options));
    case 'azure-cli':
      return lazyProvider(async () => (await import('./azure-cli.js')).azureCliProvider(profile, options.env, process.platform, options.clock ?? systemClock));
    case 'token':
      return lazyProvider(async () => (await import('./static-token.js')).staticTokenProvider(options.env, options.clock ?? systemClock));
  }
}

/** Looks in the token cache file first (see readCachedAccessToken), then asks the msal provider. */
function cacheFirst(
  profile: Profile,
  options: TokenProviderOptions,
  account: { clientId: string | undefined; homeAccountId?: string },
  load: () => Promise<TokenProvider>,
): TokenProvider {
  const msal = lazyProvider(load);
  let target: Promise<SignInTarget> | undefined;
  return {
    async getToken(request) {
      if (!request?.forceRefresh && account.clientId) {
        const { authority, tenantId, scope } = await (target ??= signInTargetFor(profile, options));
        const realm = tenantId === undefined ? undefined : cacheRealm(tenantId, account.homeAccountId);
        const cached =
          realm &&
          (await readCachedAccessToken(
            options.cacheFile,
            {
              clientId: account.clientId,
              authorityHost: authority.host,
              tenantId: realm,
              scope,
              ...(account.homeAccountId ? { homeAccountId: account.homeAccountId } : {}),
            },
            (options.clock ?? systemClock).now(),
          ));
        if (cached) return cached;
      }
      return msal.getToken(request);
    },
  };
}

/**
 * The tenant msal files a token under. An application's tokens go under the authority's tenant as
 * written, a domain name (contoso.onmicrosoft.com) too; a person's under the `tid` of their sign-in,
 * always a GUID, which a domain name cannot be compared with. For those, the account `dvas login`
 * recorded (`<object id>.<tenant id>`) says the GUID; without it this is a miss, and msal looks.
 */
function cacheRealm(tenant: string, homeAccountId: string | undefined): string {
  if (isTenantId(tenant) || homeAccountId === undefined) return tenant;
  const tid = homeAccountId.split('.')[1];
  return tid !== undefined && isTenantId(tid) ? tid : tenant;
}

function lazyProvider(load: () => Promise<TokenProvider>): TokenProvider {
  let provider: Promise<TokenProvider> | undefined;
  return {
    async getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken> {
      return (await (provider ??= load())).getToken(options);
    },
  };
}
