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
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
}

/**
 * Who a token names, for messages: its `name`, else its UPN (`upn`, `preferred_username`,
 * `unique_name`). Entra's delegated tokens for Dataverse carry them; app-only tokens do not, nor do
 * opaque ones: then undefined.
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 */
export function jwtSubjectName(token: string): string | undefined {
  const claims = jwtClaims(token);
  if (!claims) return undefined;
  for (const claim of ['name', 'upn', 'preferred_username', 'unique_name']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** The payload of a JWT, or undefined if the token is not a readable JWT (opaque tokens are allowed). */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
