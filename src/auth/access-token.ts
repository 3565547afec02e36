import type { AuthenticationResult } from '@azure/msal-node';
import { systemClock, type Clock } from '../clock/clock.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { AccessToken } from './token-provider.js';

/** msal's result as the Dataverse client wants it. */
export function fromMsalResult(result: AuthenticationResult | null, authority: URL, clock: Clock = systemClock): AccessToken {
  if (!result?.accessToken) {
    throw new CliError(`Sign-in at ${authority.host} returned no access token.`, { exitCode: ExitCode.Auth });
  }
  // msal always sets expiresOn for access tokens; an hour is Entra's default lifetime if it ever does not.
  return { token: result.accessToken, expiresOn: result.expiresOn ?? new Date(clock.now() + 3600_000) };
}

/** The `exp` of a JWT access token, or undefined if the token is not a readable JWT. */
export function jwtExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && 'exp' in claims && typeof claims.exp === 'number') {
      return new Date(claims.exp * 1000);
    }
  } catch {
    // Not a JWT: opaque tokens are allowed.
  }
  return undefined;
}
