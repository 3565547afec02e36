import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { newGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import { parseEntityUrl } from '../odata/entity-reference.js';
import { readEntityPayload } from '../odata/payload.js';
import { resolveRowAddress, type RowAddress } from '../odata/row-address.js';
import { insertFromPayload } from '../write/create-row.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';
import { readBulkTargets } from '../write/bulk-targets.js';
import { WriteSession } from '../write/session.js';
import { updateFromPayload } from '../write/update-row.js';
import { applyKeyValues } from '../write/url-key.js';

const ACTION = 'UpsertMultiple';

/**
 * `POST <entityset>/Microsoft.Dynamics.CRM.UpsertMultiple` with `{"Targets":[…]}`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/upsertmultiple):
 * each Target names its row by `@odata.id` (`accounts(accountnumber='ACC-001')`, or
 * `accounts(<id>)`) or by its primary key in the body, and is updated when that row exists,
 * created otherwise, as a single upsert is (handlers/update.ts). 204 NoContent: the reference page
 * says the UpsertMultipleResponse is not returned. All or nothing in one transaction, as
 * CreateMultiple and UpdateMultiple are on standard tables.
 */
export function upsertMultiple(ctx: RequestContext, table: TableDef): EmulatorResponse {
  const targets = readBulkTargets(ctx, table, ACTION);
  const session = new WriteSession(ctx);
  let created = 0;
  ctx.core.store.transaction(() => {
    targets.forEach((target, index) => {
      if (upsertTarget(ctx, session, table, target, index)) created++;
    });
  });
  ctx.core.countCreated(table.logicalName, created);
  return noContent();
}

/** Upserts one Target; true when it created the row. */
function upsertTarget(ctx: RequestContext, session: WriteSession, table: TableDef, target: unknown, index: number): boolean {
  if (!isJsonObject(target)) throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(target), 'StartObject');
  if (target['@odata.type'] === undefined) throw errors.missingTargetType(table.entitySetName, index);
  const payload = readEntityPayload(ctx, table, target);
  const address = targetAddress(ctx, table, target['@odata.id'], index);
  const id = address?.id ?? payload.id;
  if (address?.id !== undefined && payload.id !== undefined && payload.id !== address.id) {
    throw errors.invalidArgument('Entity Id must be the same as the value set in property bag.');
  }
  const existing = id === undefined ? undefined : session.store.get(table.logicalName, id);
  if (address?.alternate) applyKeyValues(payload, address.alternate.values, existing !== undefined);
  if (existing) {
    updateFromPayload(session, table, existing, payload);
    return false;
  }
  insertFromPayload(session, table, payload, id ?? newGuid());
  return true;
}

/** The row a Target's `@odata.id` names (found or not), or undefined when it has none. */
function targetAddress(ctx: RequestContext, table: TableDef, odataId: unknown, index: number): RowAddress | undefined {
  if (odataId === undefined) return undefined;
  const named = typeof odataId === 'string' ? parseEntityUrl(ctx, odataId) : undefined;
  if (!named || named.table !== table) {
    throw errors.invalidArgument(
      `The @odata.id ${typeof odataId === 'string' ? `'${odataId}'` : `(a JSON ${jsonNodeKind(odataId)})`} of Target ${index} does not name a row of '${table.entitySetName}' (write '${table.entitySetName}(<id>)' or '${table.entitySetName}(<alternate key>)').`,
    );
  }
  return resolveRowAddress(ctx.core.store, table, named.keyText, `${table.entitySetName}(${named.keyText})`);
}
