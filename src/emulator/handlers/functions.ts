import { readParameters } from '../functions/parameters.js';
import { retrievePrincipalAccess } from '../functions/principal-access.js';
import type { BoundFunctionDef } from '../functions/types.js';
import {
  retrieveUserPrivilegeByPrivilegeId,
  retrieveUserPrivilegeByPrivilegeName,
  retrieveUserPrivileges,
  retrieveUserSetOfPrivilegesByIds,
  retrieveUserSetOfPrivilegesByNames,
} from '../functions/user-privileges.js';
import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { existingRow } from '../store/existing-row.js';

const BOUND_FUNCTIONS: ReadonlyMap<string, BoundFunctionDef> = new Map(
  [
    retrieveUserPrivileges,
    retrieveUserPrivilegeByPrivilegeName,
    retrieveUserPrivilegeByPrivilegeId,
    retrieveUserSetOfPrivilegesByNames,
    retrieveUserSetOfPrivilegesByIds,
    retrievePrincipalAccess,
  ].map((definition) => [definition.name, definition]),
);

/**
 * `<entityset>(<id>)/Microsoft.Dynamics.CRM.<Name>(<args>)`. As the service's OData layer does:
 * a function it does not know, or one not bound to this table, is a segment it cannot resolve
 * (404 0x8006088a); a function reached by any method but GET finds no HTTP resource (404, the
 * same answer as POST WhoAmI); then the parameters, the bound row, and the function's own checks.
 */
export function boundFunction(ctx: RequestContext, table: TableDef, id: string, name: string, args: string | undefined): EmulatorResponse {
  const definition = BOUND_FUNCTIONS.get(name);
  if (!definition || !definition.bindings.includes(table.logicalName)) {
    throw errors.resourceNotFoundForSegment(`Microsoft.Dynamics.CRM.${name}${args === undefined ? '' : `(${args})`}`);
  }
  if (ctx.method !== 'GET') throw errors.noHttpResource(ctx.requestUri);
  const parameters = readParameters(ctx, name, args, definition.parameters);
  return definition.run(ctx, table, existingRow(ctx.core.store, table, id), parameters);
}
