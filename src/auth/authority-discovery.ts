import type { Dispatcher } from 'undici';
import { request as undiciRequest } from '../http/undici.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { isLoopbackHostname } from '../http/loopback.js';
import { toNetworkFailure } from '../http/network-failure.js';
import { isMicrosoftLoginHost } from './microsoft-authorities.js';

/** What an environment's bearer challenge says about where to sign in. */
export interface DiscoveredAuthority {
  /** The authority URL, e.g. `https://login.microsoftonline.com/<tenant>`. */
  authority: URL;
  tenantId: string;
}

/**
 * Learns the authority and tenant the way the service intends: an unauthenticated request to the
 * Web API is answered 401 with `WWW-Authenticate: Bearer authorization_uri=https://login.microsoftonline.com/<tenant>/oauth2/authorize`.
 *
 * The answer decides where a client secret or certificate assertion will be sent, so it is
 * trusted only when it points at a Microsoft sign-in host (or, for an environment on this machine
 * such as the emulator, at this machine). Anything else has to be set with --authority.
 */
export async function discoverAuthority(environment: URL, apiVersion: string, dispatcher: Dispatcher): Promise<DiscoveredAuthority> {
  const probe = new URL(`/api/data/${apiVersion}/`, environment.origin);
  let challenge: string | undefined;
  let status: number;
  try {
    const response = await undiciRequest(probe, { dispatcher, method: 'GET', headers: { accept: 'application/json' } });
    await response.body.dump();
    status = response.statusCode;
    const header = response.headers['www-authenticate'];
    challenge = Array.isArray(header) ? header.join(', ') : header;
  } catch (error) {
    throw toNetworkFailure(error, probe);
  }
  const authorizationUri = challenge ? /authorization_uri="?([^",\s]+)"?/i.exec(challenge)?.[1] : undefined;
  if (status !== 401 || !authorizationUri) {
    throw new CliError(`Cannot learn the tenant of ${environment.origin}: it did not answer with a bearer challenge (HTTP ${status}).`, {
      exitCode: ExitCode.Auth,
      hint: 'Set the tenant on the profile (--tenant <id>), or the authority (--authority <url>).',
    });
  }
  return parseAuthorizationUri(authorizationUri, environment);
}

/** `https://login.microsoftonline.com/<tenant>/oauth2/authorize` → that host and tenant. */
export function parseAuthorizationUri(authorizationUri: string, environment: URL): DiscoveredAuthority {
  let uri: URL;
  try {
    uri = new URL(authorizationUri);
  } catch (cause) {
    throw new CliError(`${environment.origin} answered with a bearer challenge dvas cannot read.`, { exitCode: ExitCode.Auth, cause });
  }
  const trusted =
    (uri.protocol === 'https:' && isMicrosoftLoginHost(uri.hostname)) ||
    (isLoopbackHostname(environment.hostname) && isLoopbackHostname(uri.hostname));
  if (!trusted) {
    throw new CliError(`${environment.origin} sends sign-ins to ${uri.origin}, which dvas does not trust on its own.`, {
      exitCode: ExitCode.Auth,
      hint: `If that is your AD FS or sign-in service, set it on the profile: --authority ${uri.origin}/<path>.`,
    });
  }
  const tenantId = uri.pathname.split('/').find(Boolean);
  if (!tenantId || tenantId.toLowerCase() === 'oauth2') {
    throw new CliError(`The bearer challenge of ${environment.origin} names no tenant.`, {
      exitCode: ExitCode.Auth,
      hint: 'Set the tenant on the profile (--tenant <id>).',
    });
  }
  return { authority: new URL(`${uri.origin}/${tenantId}`), tenantId };
}
