import { ConfidentialClientApplication, type NodeAuthOptions } from '@azure/msal-node';
import type { Profile } from '../profiles/types.js';
import { fromMsalResult } from './access-token.js';
import { msalAuthorityOptions, signInTargetFor, type SignInTarget } from './authority.js';
import { FileCachePlugin } from './file-cache-plugin.js';
import type { TokenProviderOptions } from './provider-options.js';
import { toSignInError } from './sign-in-errors.js';
import type { TokenProvider } from './token-provider.js';
import { UndiciNetworkClient } from './undici-network-client.js';

/** How a confidential client proves who it is: a secret, a certificate or a federated assertion. */
export type ClientCredential = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;

/**
 * App-only tokens (client credentials grant) for an application user. The app, its authority and
 * its credential are set up on the first request for a token, not before: `--dry-run` and commands
 * that fail earlier never read a secret or a key. Tokens land in the shared cache file, so the next
 * run finds them there and makes no token request.
 */
export function confidentialClientProvider(
  profile: Profile,
  options: TokenProviderOptions,
  clientId: string,
  credential: () => Promise<ClientCredential>,
): TokenProvider {
  let setup: Promise<{ app: ConfidentialClientApplication; target: SignInTarget }> | undefined;
  const build = async () => {
    const target = await signInTargetFor(profile, options);
    const app = new ConfidentialClientApplication({
      auth: { clientId, ...msalAuthorityOptions(target.authority), ...(await credential()) },
      cache: { cachePlugin: new FileCachePlugin(options.cacheFile) },
      system: { networkClient: new UndiciNetworkClient(options.dispatcher, options.log, options.clock) },
    });
    return { app, target };
  };
  return {
    async getToken(request = {}) {
      const { app, target } = await (setup ??= build());
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [target.scope], skipCache: request.forceRefresh === true });
        return fromMsalResult(result, target.authority, options.clock);
      } catch (error) {
        throw toSignInError(error, target.authority);
      }
    },
  };
}
