import type { NodeAuthOptions } from '@azure/msal-node';
import { openIdConfiguration } from './openid-configuration.js';

export type EmulatorMsalAuthority = Required<Pick<NodeAuthOptions, 'authority' | 'knownAuthorities' | 'authorityMetadata'>>;

/**
 * The msal-node auth options that point an unmodified msal-node 7 at the emulator's authority
 * (docs/emulator-authority.md, "Pointing msal-node at it"). msal refuses http authorities, so the
 * authority string is `https://<host>/<tenant>`; it is never contacted: `knownAuthorities` skips instance discovery and
 * `authorityMetadata` supplies the endpoints, which are the emulator's real http URLs. Spread the
 * result into `auth` next to `clientId` and the credential.
 */
export function emulatorMsalAuthority(url: string, tenantId: string): EmulatorMsalAuthority {
  const origin = new URL(url).origin;
  const host = new URL(url).host;
  return {
    authority: `https://${host}/${tenantId}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(openIdConfiguration(origin, tenantId)),
  };
}
