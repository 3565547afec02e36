import type { AccessTokenClaims } from '../auth/tokens.js';
import { errors } from '../http/errors.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { Row } from '../store/types.js';
import { ownPrincipal, type Principal, type SecurityModel } from './model.js';

export type UnknownCallerMode = 'error' | 'ignore';

export const ACT_ON_BEHALF_PRIVILEGE = 'prvActOnBehalfOfAnotherUser';

/** The Dataverse user a token belongs to: a user by its Entra object id, an application user by its client id. */
export function callerFromToken(model: SecurityModel, claims: AccessTokenClaims): Row {
  const byObjectId = claims.oid ? model.userByObjectId(claims.oid) : undefined;
  const caller =
    byObjectId ??
    (claims.idtyp === 'app' && claims.appid ? model.userByApplicationId(claims.appid) : undefined) ??
    (claims.idtyp === 'user' && !claims.oid && claims.upn ? model.userByDomainName(claims.upn) : undefined);
  if (!caller) throw errors.notMemberOfOrganization();
  if (caller.isdisabled === true) throw errors.callerDisabled();
  return caller;
}

/**
 * Applies the impersonation headers as the service does (docs/dataverse-web-api.md §1, §8 and docs/emulator-decisions.md):
 * `CallerObjectId` (Entra object id; preferred when both are sent) or `MSCRMCallerID`
 * (systemuserid). A target equal to the caller means no impersonation. The caller must hold
 * prvActOnBehalfOfAnotherUser through a directly assigned role. An unknown target is an error, or
 * silently ignored in `ignore` mode as some real environments do. A disabled target is refused.
 */
export function resolvePrincipal(
  model: SecurityModel,
  caller: Row,
  headers: Readonly<Record<string, string | undefined>>,
  unknownCaller: UnknownCallerMode,
): Principal {
  const callerId = String(caller.systemuserid);
  const asCaller = ownPrincipal(caller);
  const objectIdHeader = headers.callerobjectid?.trim();
  const userIdHeader = headers.mscrmcallerid?.trim();
  const headerName = objectIdHeader ? 'CallerObjectId' : userIdHeader ? 'MSCRMCallerID' : undefined;
  const value = objectIdHeader || userIdHeader;
  if (!headerName || !value) return asCaller;
  if (!isGuid(value)) {
    throw errors.invalidArgument(`The ${headerName} header value '${value}' is not a valid Guid.`);
  }
  const id = normalizeGuid(value);
  const target = headerName === 'CallerObjectId' ? model.userByObjectId(id) : model.user(id);
  if (target && String(target.systemuserid) === callerId) return asCaller;

  const direct = model.holdings(callerId).get(ACT_ON_BEHALF_PRIVILEGE)?.directDepth;
  if (!direct) throw errors.cannotActOnBehalf();

  if (!target) {
    if (unknownCaller === 'ignore') return asCaller;
    throw errors.rowNotFound('systemuser', id);
  }
  if (target.isdisabled === true) throw errors.userDisabled(String(target.systemuserid));
  return { callerId, caller, userId: String(target.systemuserid), user: target, impersonating: true };
}
