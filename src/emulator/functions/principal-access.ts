import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import { parseEntityReference } from '../odata/entity-reference.js';
import { privilegeVerbsFor, type PrivilegeVerb, type TableDef } from '../metadata/types.js';
import { requireAccess } from '../security/checks.js';
import { ownPrincipal } from '../security/model.js';
import { existingRow } from '../store/existing-row.js';
import type { Row } from '../store/types.js';
import type { EntityReferenceLiteral } from './parameters.js';
import type { BoundFunctionDef } from './types.js';

/** The AccessRights flags enum, in value order, as the service serializes it (docs/dataverse-web-api.md §5.3). */
const ACCESS_RIGHTS: ReadonlyArray<[PrivilegeVerb, string]> = [
  ['Read', 'ReadAccess'], // 1
  ['Write', 'WriteAccess'], // 2
  ['Append', 'AppendAccess'], // 4
  ['AppendTo', 'AppendToAccess'], // 16
  ['Create', 'CreateAccess'], // 32
  ['Delete', 'DeleteAccess'], // 65536
  ['Share', 'ShareAccess'], // 262144
  ['Assign', 'AssignAccess'], // 524288
];

/**
 * RetrievePrincipalAccess: which rights a user (or team) has on one record, each right being the
 * principal's scope for that verb reaching the row. The caller needs the read privilege of the
 * target's table (the SDK's message-privilege table: prvReadAccount for an account…).
 */
export const retrievePrincipalAccess: BoundFunctionDef = {
  name: 'RetrievePrincipalAccess',
  bindings: ['systemuser', 'team'],
  parameters: [{ name: 'Target', type: 'crmbaseentity', required: true }],
  run(ctx, table, principalRow, parameters) {
    const { table: targetTable, row: target } = resolveTarget(ctx, parameters.get('Target') as EntityReferenceLiteral);
    requireAccess(ctx.core.security, ctx.principal, 'Read', targetTable);
    const security = ctx.core.security;
    // The principal in its own right: no impersonation, the answer is about the bound user or team.
    const scopeOf =
      table.logicalName === 'team'
        ? (verb: PrivilegeVerb, of: TableDef) => security.teamAccess(String(principalRow.teamid), verb, of)
        : (verb: PrivilegeVerb, of: TableDef) => security.access(ownPrincipal(principalRow), verb, of);
    const verbs = new Set(privilegeVerbsFor(targetTable));
    const rights = ACCESS_RIGHTS.filter(([verb]) => verbs.has(verb) && scopeOf(verb, targetTable)?.covers(targetTable, target)).map(
      ([, name]) => name,
    );
    return jsonResponse(200, {
      '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse`,
      AccessRights: rights.length > 0 ? rights.join(', ') : 'None',
    });
  },
};

/**
 * The record a Target's `@odata.id` names, read as a bind URL is (odata/entity-reference.ts): a URL
 * naming no row (another host or version, an unknown entity set, an alternate key, no GUID) is a
 * 400, a row that does not exist 404 0x80040217.
 */
function resolveTarget(ctx: RequestContext, target: EntityReferenceLiteral): { table: TableDef; row: Row } {
  const reference = parseEntityReference(ctx, target.odataId);
  if (!reference) throw errors.badQuery(`The '@odata.id' value '${target.odataId}' of parameter 'Target' does not name a record.`);
  return { table: reference.table, row: existingRow(ctx.core.store, reference.table, reference.id) };
}
