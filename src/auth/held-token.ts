import type { Clock } from '../clock/clock.js';
import { RENEWAL_MARGIN_MS } from './cached-access-token.js';
import type { AccessToken, TokenProvider } from './token-provider.js';

/**
 * Keeps the token in memory for the rest of the process, until it comes within `refreshWindowMs`
 * of its expiry: then the next request asks `provider` again (msal, the cache file, az…). So a
 * bulk run of thousands of requests reads the token cache file once, not once per request. This
 * is the token cycler of Azure's core-rest-pipeline (bearerTokenAuthenticationPolicy):
 * - requests that arrive together while a token is being fetched share that one fetch;
 * - a refresh that fails while the held token has not expired yet falls back to the held token
 *   (the service will say 401 when it really is over);
 * - `forceRefresh` (the service refused the token) always asks again.
 * The window is msal's own renewal margin, so a held token is renewed when msal would renew it.
 */
export function heldInMemory(provider: TokenProvider, clock: Clock, refreshWindowMs: number = RENEWAL_MARGIN_MS): TokenProvider {
  let held: AccessToken | undefined;
  let fetching: Promise<AccessToken> | undefined;

  const fetch = (request?: { forceRefresh?: boolean }): Promise<AccessToken> => {
    const attempt = provider.getToken(request).then((token) => {
      held = token;
      return token;
    });
    fetching = attempt;
    // Only clears the slot; the caller handles the failure.
    attempt.finally(() => {
      if (fetching === attempt) fetching = undefined;
    }).catch(() => undefined);
    return attempt;
  };

  return {
    async getToken(request) {
      if (request?.forceRefresh) {
        held = undefined;
        return fetch(request);
      }
      const now = clock.now();
      if (held && now < held.expiresOn.getTime() - refreshWindowMs) return held;
      const stillValid = held && now < held.expiresOn.getTime() ? held : undefined;
      try {
        return await (fetching ?? fetch());
      } catch (error) {
        if (stillValid) return stillValid;
        throw error;
      }
    },
  };
}
