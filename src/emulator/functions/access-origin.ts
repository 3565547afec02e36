import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { requireAccess } from '../security/checks.js';
import { existingRow } from '../store/existing-row.js';
import { isLookupValue } from '../store/types.js';
import type { ParameterValue } from './parameters.js';

/**
 * `GET RetrieveAccessOrigin(ObjectId=…,LogicalName='account',PrincipalId=…)`: why a user or team
 * has access to a record, in one of the service's documented sentences
 * (https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning#retrieve-access-origin).
 * The emulator answers ownership and shares (direct or through a team); role-based access is
 * none of the documented sentences, so it is "could not be found" (docs/emulator-decisions.md).
 */
export function retrieveAccessOrigin(ctx: RequestContext, parameters: ReadonlyMap<string, ParameterValue>): EmulatorResponse {
  const objectId = String(parameters.get('ObjectId'));
  const logicalName = String(parameters.get('LogicalName'));
  const principalId = String(parameters.get('PrincipalId'));
  const table = ctx.core.metadata.table(logicalName);
  if (!table) throw errors.entityMetadataNotFound(logicalName);
  const row = existingRow(ctx.core.store, table, objectId);
  requireAccess(ctx.core.security, ctx.principal, 'Read', table);
  const security = ctx.core.security;
  const isUser = security.user(principalId) !== undefined;
  if (!isUser && !ctx.core.store.get('team', principalId)) throw errors.rowNotFound('systemuser', principalId);
  const teams = isUser ? security.teamIds(principalId) : [];
  const owner = isLookupValue(row.ownerid) ? row.ownerid.id : undefined;
  const shares = security.sharesOf(objectId).filter((share) => share.accessrightsmask !== 0);
  const teamShare = shares.find((share) => teams.includes(share.principalid));

  let response: string;
  if (owner === principalId) response = `PrincipalId is object owner (${objectId})`;
  else if (owner && teams.includes(owner)) response = `PrincipalId is member of team (${owner}) who is object owner (${objectId})`;
  else if (shares.some((share) => share.principalid === principalId)) response = `PrincipalId has direct poa access to object (${objectId})`;
  else if (teamShare) response = `PrincipalId is member of team (${teamShare.principalid}) who has poa access to object (${objectId})`;
  else response = 'Access origin could not be found. Access does not come from POA table or object ownership.';
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveAccessOriginResponse`,
    Response: response,
  });
}
