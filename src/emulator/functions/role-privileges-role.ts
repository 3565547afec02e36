import type { RequestContext } from '../http/context.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { requireAccess } from '../security/checks.js';
import { existingRow } from '../store/existing-row.js';
import { isLookupValue } from '../store/types.js';

/**
 * `GET RetrieveRolePrivilegesRole(RoleId=<guid>)`: the privileges of one role with their depths
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveroleprivilegesrole),
 * as RolePrivilege entries in the service's key order. Reading a role needs prvReadRole.
 */
export function retrieveRolePrivilegesRole(ctx: RequestContext, roleId: string): EmulatorResponse {
  const roleTable = ctx.core.metadata.require('role');
  const role = existingRow(ctx.core.store, roleTable, roleId);
  requireAccess(ctx.core.security, ctx.principal, 'Read', roleTable, role);
  const businessUnitId = isLookupValue(role.businessunitid) ? role.businessunitid.id : '';
  const entries = ctx.core.security
    .rolePrivileges(roleId)
    .flatMap(({ privilegeId, depth }) => {
      const privilege = ctx.core.store.get('privilege', privilegeId);
      return privilege ? [{ Depth: depth, PrivilegeId: privilegeId, BusinessUnitId: businessUnitId, PrivilegeName: String(privilege.name) }] : [];
    })
    .sort((a, b) => a.PrivilegeName.localeCompare(b.PrivilegeName));
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveRolePrivilegesRoleResponse`,
    RolePrivileges: entries,
  });
}
