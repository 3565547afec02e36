import { bearerToken } from '../auth/bearer.js';
import type { EmulatorCore } from '../core.js';
import type { EmulatorRequest } from '../http/types.js';

/**
 * Whose limits a request counts against: the user (or application user) the bearer token was
 * issued to, whatever impersonation header it carries, since the service meters the account
 * that calls. A request without a valid token is not metered: the dispatcher answers it with 401.
 */
export function limitsUserKey(core: EmulatorCore, request: EmulatorRequest): string | undefined {
  const token = bearerToken(request.headers.authorization);
  if (!token) return undefined;
  const check = core.tokens.verify(token, core.origin);
  if (!check.ok) return undefined;
  const { oid, sub, appid } = check.claims;
  return oid || sub || appid;
}
