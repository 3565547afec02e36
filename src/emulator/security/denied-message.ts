import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';
import type { SecurityModel } from './model.js';

const ACCESS_MODES: Readonly<Record<number, string>> = {
  0: 'Read-Write',
  1: 'Administrative',
  2: 'Read',
  3: 'Support User',
  4: 'Non-interactive',
  5: 'Delegated Admin',
};

/**
 * The current PrivilegeDenied text (docs/dataverse-web-api.md §5.5, template 3):
 * "Principal user (Id=…, type=8, roleCount=…, privilegeCount=…, accessMode='0 Read-Write',
 * AADObjectId='…', MetadataCachePrivilegesCount=…, businessUnitId=…), is missing prvX privilege
 * (Id=…) on OTC=… for entity '…' (LocalizedName='…'). context.Caller=…. Consider adding missed
 * privilege to one of the principal (user/team) roles."
 *
 * `principal` is the user the request runs as. Under impersonation that is the impersonated user
 * even when it is the caller who lacks the privilege: the real service's quirk, kept on purpose.
 */
export function privilegeDeniedMessage(
  model: SecurityModel,
  principal: Row,
  privilegeName: string,
  table: TableDef,
): string {
  const userId = String(principal.systemuserid);
  const holdings = model.holdings(userId);
  const accessMode = typeof principal.accessmode === 'number' ? principal.accessmode : 0;
  const objectId = typeof principal.azureactivedirectoryobjectid === 'string' ? principal.azureactivedirectoryobjectid : '';
  const businessUnitId = model.businessUnitOf(principal) ?? '';
  const privilegeId = String(model.privilege(privilegeName)?.privilegeid ?? '00000000-0000-0000-0000-000000000000');
  return (
    `Principal user (Id=${userId}, type=8, roleCount=${model.roleCount(userId)}, privilegeCount=${holdings.size}, ` +
    `accessMode='${accessMode} ${ACCESS_MODES[accessMode] ?? 'Read-Write'}', AADObjectId='${objectId}', ` +
    `MetadataCachePrivilegesCount=${model.privilegeCount()}, businessUnitId=${businessUnitId}), ` +
    `is missing ${privilegeName} privilege (Id=${privilegeId}) on OTC=${table.objectTypeCode} for entity '${table.logicalName}' (LocalizedName='${table.displayName}'). ` +
    `context.Caller=${userId}. ` +
    'Consider adding missed privilege to one of the principal (user/team) roles.'
  );
}
