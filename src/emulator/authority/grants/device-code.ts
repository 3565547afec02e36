import type { EmulatorCore } from '../../core.js';
import type { DeviceCodeStore } from '../device-codes.js';
import { EntraError, entraErrors } from '../entra-errors.js';
import { personById } from '../people.js';
import { parseScopes } from '../scopes.js';
import { userTokenResponse, type UserTokenIssuer, type UserTokenResponse } from '../user-token-response.js';
import { publicClient, requiredParameter, type ClientDirectory } from './client.js';

/** What the device code flow reads: the clients, the pending codes, who approves them, and the people. */
export type DeviceCodeAuthority = ClientDirectory &
  UserTokenIssuer & {
    readonly core: Pick<EmulatorCore, 'origin' | 'store'>;
    readonly deviceCodes: DeviceCodeStore;
    readonly options: { readonly autoApproveUserId?: string | undefined };
  };

/** RFC 8628's grant type, and the short form msal-node sends; Entra accepts both. */
export const DEVICE_CODE_GRANT_TYPES: ReadonlySet<string> = new Set(['urn:ietf:params:oauth:grant-type:device_code', 'device_code']);

/** Seconds between polls. Entra says 5; the emulator says 1 so that sign-ins in tests take no time. */
const DEVICE_CODE_POLL_INTERVAL_SECONDS = 1;

export interface DeviceCodeResponse {
  user_code: string;
  device_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

/** The devicecode endpoint: hands out a code for a person to approve on the verification page. */
export async function startDeviceCode(authority: DeviceCodeAuthority, params: URLSearchParams): Promise<DeviceCodeResponse> {
  const clientId = await publicClient(authority, params);
  const scope = requiredParameter(params, 'scope');
  const scopes = parseScopes(scope);
  if (scopes instanceof EntraError) throw scopes;
  const entry = authority.deviceCodes.issue(clientId, scope, authority.options.autoApproveUserId);
  // The sign-in will need an ID token: make its key now, while the client shows the code, not on the first poll.
  authority.idTokenKey.get().catch(() => undefined);
  const verificationUri = `${authority.core.origin}/devicelogin`;
  return {
    user_code: entry.userCode,
    device_code: entry.deviceCode,
    verification_uri: verificationUri,
    expires_in: authority.deviceCodes.lifetimeSeconds,
    interval: DEVICE_CODE_POLL_INTERVAL_SECONDS,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
  };
}

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (or `device_code`): the client polls until the person
 * approves (`authorization_pending` until then), or the code expires (`expired_token`). An approved
 * code gives its tokens once; the scopes are those asked for at the devicecode endpoint.
 */
export async function deviceCodeGrant(authority: DeviceCodeAuthority, params: URLSearchParams): Promise<UserTokenResponse> {
  const clientId = await publicClient(authority, params);
  const entry = authority.deviceCodes.byDeviceCode(requiredParameter(params, 'device_code'));
  if (!entry || entry.clientId !== clientId) throw entraErrors.invalidGrant();
  if (authority.deviceCodes.isExpired(entry)) throw entraErrors.deviceCodeExpired();
  if (entry.approvedUserId === undefined) throw entraErrors.authorizationPending();
  const person = personById(authority.core.store, entry.approvedUserId);
  const scopes = parseScopes(entry.scope);
  authority.deviceCodes.redeem(entry);
  if (!person) throw entraErrors.invalidGrant();
  if (scopes instanceof EntraError) throw scopes;
  return userTokenResponse(authority, { person, clientId, scopes, clientInfo: params.get('client_info') === '1' });
}
