import type { TokenProvider } from '../../auth/token-provider.js';
import { requireEnvironmentOrigin } from '../origin-guard.js';
import type { Policy } from '../pipeline.js';

/**
 * Signs each request with a bearer token. It sits after the retry policy, so an attempt made
 * after a long Retry-After wait gets a token that is current then, not one from before the wait.
 * A 401 means the token was refused (expired early, revoked, keys rolled): get a fresh one once
 * and try again; a second 401 goes back to the caller.
 *
 * The token only ever goes to the environment's own origin: a nextLink or a path pointing
 * elsewhere is refused rather than handed a credential.
 */
export function authPolicy(tokenProvider: TokenProvider, environmentOrigin: string): Policy {
  return {
    name: 'auth',
    async send(request, next) {
      requireEnvironmentOrigin(request.url, environmentOrigin);
      const signed = async (forceRefresh: boolean) => {
        const { token } = await tokenProvider.getToken(forceRefresh ? { forceRefresh } : undefined);
        return next({ ...request, headers: request.headers.set('Authorization', `Bearer ${token}`) });
      };
      const response = await signed(false);
      return response.status === 401 ? signed(true) : response;
    },
  };
}
