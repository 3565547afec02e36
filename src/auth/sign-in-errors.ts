import { AuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { networkFailureBehind } from './undici-network-client.js';

/** Hints for the OAuth errors people actually meet, by error code. */
const HINTS: Record<string, string> = {
  invalid_client: 'Check the client id and its secret or certificate, and that the app is registered in this tenant.',
  unauthorized_client: 'The app may not use this sign-in method: check its registration (public client flows for device code).',
  invalid_grant: 'The sign-in is no longer valid: sign in again with dvas login.',
  expired_token: 'The device code expired before the sign-in was completed: run dvas login again and finish within the time shown.',
  authorization_declined: 'The sign-in was declined in the browser.',
  access_denied: 'The sign-in was declined or is not allowed for this account.',
  invalid_scope: 'The environment URL may be wrong, or the app has no permission for Dataverse.',
  invalid_resource: 'The environment URL may be wrong, or the environment is in another tenant.',
  invalid_request: 'Check the profile: dvas profile show.',
};

const UNKNOWN_TENANT_HINT = 'Check the tenant of the profile (dvas profile show): its id, or a domain name the tenant owns; change it with dvas profile set <name> --tenant <tenant>.';

/**
 * Turns what msal throws into one sentence for the terminal (exit 4, or 3 for a configuration
 * msal rejects, or 1 when the authority could not be reached). Entra's descriptions carry trace
 * and correlation ids on further lines: only the first line is shown; the msal error stays the cause.
 */
export function toSignInError(error: unknown, authority: URL): CliError {
  if (error instanceof CliError) return error;
  const network = networkFailureBehind(error);
  if (network) return network;
  const where = authority.host;
  if (error instanceof InteractionRequiredAuthError) {
    return new CliError(`The saved sign-in for ${where} needs you to sign in again (${error.errorCode}).`, {
      exitCode: ExitCode.Auth,
      code: error.errorCode,
      hint: 'Run dvas login.',
      cause: error,
    });
  }
  if (error instanceof ClientConfigurationError) {
    return new CliError(`The sign-in settings are not valid: ${firstLine(error.errorMessage)}`, {
      exitCode: ExitCode.Config,
      code: error.errorCode,
      hint: 'Check the profile: dvas profile show.',
      cause: error,
    });
  }
  if (error instanceof AuthError) {
    const description = firstLine(error.errorMessage) || error.errorCode;
    const status = error instanceof ServerError && error.status ? ` (HTTP ${error.status})` : '';
    // AADSTS90002: the authority knows no such tenant (a mistyped id, or a domain it does not own).
    const hint = /\bAADSTS90002\b/.test(error.errorMessage) ? UNKNOWN_TENANT_HINT : HINTS[error.errorCode];
    return new CliError(`Sign-in at ${where} failed${status}: ${description}`, {
      exitCode: ExitCode.Auth,
      code: error.errorCode,
      ...(hint ? { hint } : {}),
      cause: error,
    });
  }
  return new CliError(`Sign-in at ${where} failed.`, { exitCode: ExitCode.Auth, cause: error });
}

/** msal wraps Entra's description as "Error(s): … - Timestamp: … - Description: AADSTS…"; keep the description's first line. */
function firstLine(text: string): string {
  const description = /Description:\s*([\s\S]*)$/.exec(text)?.[1] ?? text;
  const line = (description.split(/\r?\n/)[0] ?? '').trim();
  return line && !/[.!?]$/.test(line) ? `${line}.` : line;
}
