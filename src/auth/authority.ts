import type { NodeAuthOptions } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { assertSecureUrl, parseEnvironmentUrl } from '../http/environment-url.js';
import { isLoopbackHostname } from '../http/loopback.js';
import type { Profile } from '../profiles/types.js';
import { discoverAuthority } from './authority-discovery.js';
import { LearnedAuthorities } from './learned-authorities.js';
import { isMicrosoftLoginHost, PUBLIC_CLOUD_AUTHORITY } from './microsoft-authorities.js';
import { quote } from '../output/terminal-text.js';

/** Where and for what a profile signs in. */
export interface SignInTarget {
  environment: URL;
  /** `<environment origin>/.default`: every permission the app or user has on Dataverse. */
  scope: string;
  /** The real authority URL (plain http for the emulator on this machine). */
  authority: URL;
  /** The Entra tenant, when the authority has one (AD FS has none). */
  tenantId: string | undefined;
}

/**
 * The authority for a profile, first match wins:
 * 1. `profile.authority` (sovereign clouds, AD FS, the emulator); given as a bare host, the tenant
 *    is appended;
 * 2. the profile's tenant on the public cloud (on the environment's own origin for an
 *    environment on this machine: the emulator serves its authority next to its Web API);
 * 3. whatever the environment's bearer challenge names (one unauthenticated request; with
 *    `learned`, once a day per environment, see learned-authorities.ts).
 */
export async function resolveSignInTarget(profile: Profile, dispatcher: Dispatcher, learned?: LearnedAuthorities): Promise<SignInTarget> {
  const environment = parseEnvironmentUrl(profile.url);
  const scope = `${environment.origin}/.default`;
  const local = environment.protocol === 'http:' && isLoopbackHostname(environment.hostname);
  const discover = () => (learned ? learned.discover(environment, profile.apiVersion, dispatcher) : discoverAuthority(environment, profile.apiVersion, dispatcher));

  if (profile.authority) {
    const configured = parseAuthority(profile.authority);
    const firstSegment = configured.pathname.split('/').find(Boolean);
    if (firstSegment) {
      const tenantId = profile.tenantId ?? (firstSegment.toLowerCase() === 'adfs' ? undefined : firstSegment);
      return { environment, scope, authority: configured, tenantId };
    }
    const tenantId = profile.tenantId ?? (await discover()).tenantId;
    return { environment, scope, authority: new URL(`${configured.origin}/${tenantId}`), tenantId };
  }
  if (profile.tenantId) {
    const host = local ? environment.origin : PUBLIC_CLOUD_AUTHORITY;
    return { environment, scope, authority: new URL(`${host}/${profile.tenantId}`), tenantId: profile.tenantId };
  }
  const discovered = await discover();
  return { environment, scope, authority: discovered.authority, tenantId: discovered.tenantId };
}

function parseAuthority(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new CliError(`The authority ${quote(raw)} is not a valid URL.`, { exitCode: ExitCode.Config, cause });
  }
  assertSecureUrl(url, 'authority');
  // msal wants no trailing slash games: keep origin + path segments.
  return new URL(`${url.origin}/${url.pathname.split('/').filter(Boolean).join('/')}`);
}

export type MsalAuthorityOptions = Pick<NodeAuthOptions, 'authority' | 'knownAuthorities' | 'authorityMetadata'>;

/**
 * The msal auth options for an authority.
 * - Microsoft's clouds: the authority alone; msal knows their metadata.
 * - Another https host (AD FS, a private cloud): listed in knownAuthorities so msal trusts it
 *   and reads its OpenID configuration instead of asking Microsoft's instance discovery.
 * - Plain http on this machine (the emulator; docs/emulator-authority.md, "Pointing msal-node
 *   at it"): msal refuses http authorities, so it gets the https form of the URL, which it never
 *   contacts, plus authorityMetadata whose endpoints are the real http URLs (Entra's paths).
 */
export function msalAuthorityOptions(authority: URL): MsalAuthorityOptions {
  const path = authority.pathname.replace(/\/+$/, '');
  if (authority.protocol === 'https:') {
    const options: MsalAuthorityOptions = { authority: `${authority.origin}${path}` };
    return isMicrosoftLoginHost(authority.hostname) ? options : { ...options, knownAuthorities: [authority.host] };
  }
  const base = `${authority.origin}${path}`;
  return {
    authority: `https://${authority.host}${path}`,
    knownAuthorities: [authority.host],
    authorityMetadata: JSON.stringify({
      issuer: `https://${authority.host}${path}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    }),
  };
}

/** The sign-in target of a token provider: a tenant the profile lacks comes from what earlier runs learned. */
export function signInTargetFor(profile: Profile, options: { dispatcher: Dispatcher; cacheFile: string }): Promise<SignInTarget> {
  return resolveSignInTarget(profile, options.dispatcher, LearnedAuthorities.besideTokenCache(options.cacheFile));
}
