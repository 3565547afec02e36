import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse, noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { deterministicGuid, isGuid, normalizeGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import { parseEntityReference } from '../odata/entity-reference.js';
import { parseJsonObject } from '../odata/payload.js';
import { requireAccess } from '../security/checks.js';
import { formatAccessMask, parseAccessMask, SHARE_TABLE, type SharePrincipalType, type ShareRow } from '../security/shares.js';
import { existingRow } from '../store/existing-row.js';
import type { Row } from '../store/types.js';
import { isJsonObject } from '../write/json-node.js';
import type { EntityReferenceLiteral } from './parameters.js';

/**
 * Record sharing (https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning):
 * the unbound actions GrantAccess, ModifyAccess and RevokeAccess, and the unbound function
 * RetrieveSharedPrincipalsAndAccess. Shares live as principalobjectaccess rows and count in every
 * access check (security/model.ts). Choices the documentation leaves open are in
 * docs/emulator-decisions.md ("Record sharing").
 */

type SharingAction = 'GrantAccess' | 'ModifyAccess' | 'RevokeAccess';

const PARAMETERS: Readonly<Record<SharingAction, readonly string[]>> = {
  GrantAccess: ['Target', 'PrincipalAccess'],
  ModifyAccess: ['Target', 'PrincipalAccess'],
  RevokeAccess: ['Target', 'Revokee'],
};

export function isSharingAction(name: string): name is SharingAction {
  return name in PARAMETERS;
}

/** `POST GrantAccess` (and ModifyAccess, RevokeAccess) → 204. */
export function sharingAction(ctx: RequestContext, action: SharingAction): EmulatorResponse {
  if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
  const body = parseJsonObject(action, ctx.request.body);
  for (const name in body) {
    if (!PARAMETERS[action].includes(name) && !name.startsWith('@')) throw errors.unknownActionParameter(action, name, action);
  }
  for (const name of PARAMETERS[action]) if (body[name] === undefined || body[name] === null) throw errors.missingActionParameter(name, action);

  const { table, row } = targetOf(ctx, body.Target, action);
  // Sharing, changing a share and revoking one all need the Share right on the record.
  requireAccess(ctx.core.security, ctx.principal, 'Share', table, row);
  const store = ctx.core.store;
  const objectId = String(row[table.primaryIdAttribute]);

  if (action === 'RevokeAccess') {
    const revokee = principalOf(ctx, body.Revokee, 'Revokee', action);
    store.transaction(() => store.delete(SHARE_TABLE, shareId(objectId, revokee.id)));
    return noContent();
  }
  const principalAccess = body.PrincipalAccess;
  if (!isJsonObject(principalAccess)) throw errors.missingActionParameter('PrincipalAccess', action);
  const principal = principalOf(ctx, principalAccess.Principal, 'Principal', action);
  const maskText = principalAccess.AccessMask;
  const mask = typeof maskText === 'string' ? parseAccessMask(maskText) : undefined;
  if (mask === undefined) {
    throw errors.badQuery(`The value '${String(maskText)}' of 'AccessMask' is not a valid Microsoft.Dynamics.CRM.AccessRights value.`);
  }
  const id = shareId(objectId, principal.id);
  const existing = store.get(SHARE_TABLE, id) as ShareRow | undefined;
  // GrantAccess adds to what is already shared; ModifyAccess replaces it (Microsoft's words for each).
  const accessrightsmask = action === 'GrantAccess' && existing ? existing.accessrightsmask | mask : mask;
  const share: ShareRow = {
    principalobjectaccessid: id,
    objectid: objectId,
    objecttypecode: table.logicalName,
    principalid: principal.id,
    principaltypecode: principal.type,
    accessrightsmask,
  };
  store.transaction(() => {
    if (existing) store.replace(SHARE_TABLE, id, { ...share });
    else store.insert(SHARE_TABLE, id, { ...share });
  });
  return noContent();
}

/** `GET RetrieveSharedPrincipalsAndAccess(Target=@p1)`: every principal the record is shared with, and the rights. */
export function retrieveSharedPrincipalsAndAccess(ctx: RequestContext, target: EntityReferenceLiteral): EmulatorResponse {
  const { table, row } = referencedRow(ctx, target.odataId, 'Target');
  requireAccess(ctx.core.security, ctx.principal, 'Read', table, row);
  const shares = ctx.core.security.sharesOf(String(row[table.primaryIdAttribute])).filter((share) => share.accessrightsmask !== 0);
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveSharedPrincipalsAndAccessResponse`,
    PrincipalAccesses: shares.map((share) => ({
      AccessMask: formatAccessMask(share.accessrightsmask),
      // Principals are keyed by ownerid, the base type of systemuser and team.
      Principal: { '@odata.type': `#Microsoft.Dynamics.CRM.${share.principaltypecode}`, ownerid: share.principalid },
    })),
  });
}

/** The principalobjectaccess id of a record's share to a principal: one share per pair. */
function shareId(objectId: string, principalId: string): string {
  return deterministicGuid(`principalobjectaccess:${objectId}:${principalId}`);
}

/** A Target as the documentation writes it (`{"accountid": …, "@odata.type": "Microsoft.Dynamics.CRM.account"}`) or as `{"@odata.id": …}`. */
function targetOf(ctx: RequestContext, value: unknown, action: string): { table: TableDef; row: Row } {
  if (!isJsonObject(value)) throw errors.missingActionParameter('Target', action);
  if (typeof value['@odata.id'] === 'string') return referencedRow(ctx, value['@odata.id'], 'Target');
  const table = typedTable(ctx, value, action);
  const id = value[table.primaryIdAttribute];
  if (!isGuid(id)) throw errors.invalidArgument(`The 'Target' of ${action} needs its '${table.primaryIdAttribute}'.`);
  return { table, row: existingRow(ctx.core.store, table, normalizeGuid(id)) };
}

function principalOf(ctx: RequestContext, value: unknown, name: string, action: string): { id: string; type: SharePrincipalType } {
  if (!isJsonObject(value)) throw errors.missingActionParameter(name, action);
  const table = typedTable(ctx, value, action);
  if (table.logicalName !== 'systemuser' && table.logicalName !== 'team') {
    throw errors.invalidArgument(`The '${name}' of ${action} must be a systemuser or a team, not a ${table.logicalName}.`);
  }
  const id = value[table.primaryIdAttribute] ?? value.ownerid;
  if (!isGuid(id)) throw errors.invalidArgument(`The '${name}' of ${action} needs its '${table.primaryIdAttribute}'.`);
  existingRow(ctx.core.store, table, normalizeGuid(id));
  return { id: normalizeGuid(id), type: table.logicalName };
}

function typedTable(ctx: RequestContext, value: Record<string, unknown>, action: string): TableDef {
  const type = value['@odata.type'];
  const logicalName = typeof type === 'string' ? type.replace(/^#?Microsoft\.Dynamics\.CRM\./, '') : undefined;
  const table = logicalName ? ctx.core.metadata.table(logicalName) : undefined;
  if (!table) throw errors.unresolvedTypeName(action, typeof type === 'string' ? type : '(none)');
  return table;
}

export function referencedRow(ctx: RequestContext, odataId: string, parameter: string): { table: TableDef; row: Row } {
  const reference = parseEntityReference(ctx, odataId);
  if (!reference) throw errors.badQuery(`The '@odata.id' value '${odataId}' of parameter '${parameter}' does not name a record.`);
  return { table: reference.table, row: existingRow(ctx.core.store, reference.table, reference.id) };
}
