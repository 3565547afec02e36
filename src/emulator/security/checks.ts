import { errors } from '../http/errors.js';
import { privilegeName, type PrivilegeVerb, type TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';
import { privilegeDeniedMessage } from './denied-message.js';
import type { AccessScope, Principal, SecurityModel } from './model.js';

/**
 * Demands a table privilege (and, given a row, that its depth reaches the row); throws the
 * service's 403 PrivilegeDenied otherwise. Returns the scope so callers can reuse it for a
 * collection's rows.
 */
export function requireAccess(
  model: SecurityModel,
  principal: Principal,
  verb: PrivilegeVerb,
  table: TableDef,
  row?: Row,
): AccessScope {
  const scope = model.access(principal, verb, table);
  if (!scope || (row && !scope.covers(table, row))) {
    throw errors.privilegeDenied(privilegeDeniedMessage(model, principal.user, privilegeName(verb, table), table));
  }
  return scope;
}
