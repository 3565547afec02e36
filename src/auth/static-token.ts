import { systemClock, type Clock } from '../clock/clock.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { jwtExpiry } from './access-token.js';
import type { Env } from './provider-options.js';
import type { TokenProvider } from './token-provider.js';

/**
 * A bearer token handed over in DVAS_ACCESS_TOKEN (from another tool, or the emulator). There is
 * nothing to refresh: when Dataverse refuses it, say so instead of sending it again.
 */
export function staticTokenProvider(env: Env, clock: Clock = systemClock): TokenProvider {
  return {
    async getToken(request = {}) {
      const token = env.DVAS_ACCESS_TOKEN?.trim();
      if (!token) {
        throw new CliError('The profile signs in with a token, but DVAS_ACCESS_TOKEN is not set.', {
          exitCode: ExitCode.Config,
          hint: 'Set DVAS_ACCESS_TOKEN to an access token for the environment.',
        });
      }
      if (request.forceRefresh) {
        throw new CliError('Dataverse refused the access token in DVAS_ACCESS_TOKEN.', {
          exitCode: ExitCode.Auth,
          hint: 'It may have expired or be for another environment: set a fresh one.',
        });
      }
      // An opaque token's lifetime is unknown; the service will say when it is over (401).
      return { token, expiresOn: jwtExpiry(token) ?? new Date(clock.now() + 3600_000) };
    },
  };
}
