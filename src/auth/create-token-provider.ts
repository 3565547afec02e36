import type { Profile } from '../profiles/types.js';
import type { TokenProviderOptions } from './provider-options.js';
import type { AccessToken, TokenProvider } from './token-provider.js';

export type { TokenProviderOptions } from './provider-options.js';

/**
 * The token provider for a profile's sign-in kind. Nothing is loaded or read here: the kind's
 * module (and with it msal-node, for the msal kinds) is imported on the first getToken(), so
 * commands that never call Dataverse, and --dry-run, pay nothing for sign-in.
 */
export function createTokenProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  return lazyProvider(async () => {
    switch (profile.auth) {
      case 'client-secret':
        return (await import('./client-secret.js')).clientSecretProvider(profile, options);
      case 'certificate':
        return (await import('./certificate.js')).certificateProvider(profile, options);
      case 'workload-identity':
        return (await import('./workload-identity.js')).workloadIdentityProvider(profile, options);
      case 'device-code':
      case 'interactive':
        return (await import('./public-client.js')).publicClientProvider(profile, options);
      case 'managed-identity':
        return (await import('./managed-identity.js')).managedIdentityProvider(profile, options);
      case 'azure-cli':
        return (await import('./azure-cli.js')).azureCliProvider(profile, options.env);
      case 'token':
        return (await import('./static-token.js')).staticTokenProvider(options.env);
    }
  });
}

function lazyProvider(load: () => Promise<TokenProvider>): TokenProvider {
  let provider: Promise<TokenProvider> | undefined;
  return {
    async getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken> {
      return (await (provider ??= load())).getToken(options);
    },
  };
}
