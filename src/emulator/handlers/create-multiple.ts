import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { readEntityPayload } from '../odata/payload.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';
import { insertFromPayload } from '../write/create-row.js';
import { readBulkTargets } from '../write/bulk-targets.js';
import { WriteSession } from '../write/session.js';

const ACTION = 'CreateMultiple';

/**
 * `POST <entityset>/Microsoft.Dynamics.CRM.CreateMultiple` with `{"Targets":[…]}` (docs/dataverse-web-api.md §4.2):
 * 200 with the new ids in input order. All or nothing: the first Target that fails (in order) is
 * the answer and no row is kept; a Target whose key is taken fails it with "Cannot insert duplicate
 * key." (docs/dataverse-web-api.md §12). Every Target must carry `@odata.type` naming this table. One
 * session serves all Targets, so privilege scopes are computed once per request.
 */
export function createMultiple(ctx: RequestContext, table: TableDef): EmulatorResponse {
  const items = readBulkTargets(ctx, table, ACTION);

  const session = new WriteSession(ctx);
  const ids = ctx.core.store.transaction(() => {
    const created: string[] = new Array(items.length);
    for (let index = 0; index < items.length; index++) created[index] = createTarget(ctx, session, table, items[index], index);
    return created;
  });
  ctx.core.countCreated(table.logicalName, ids.length);
  return jsonResponse(200, { '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`, Ids: ids });
}

function createTarget(ctx: RequestContext, session: WriteSession, table: TableDef, target: unknown, index: number): string {
  if (!isJsonObject(target)) throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(target), 'StartObject');
  if (target['@odata.type'] === undefined) throw errors.missingTargetType(table.entitySetName, index);
  const payload = readEntityPayload(ctx, table, target);
  // Unlike a single create's 412 "A record with matching key values already exists.", a taken key
  // in CreateMultiple is the database's own refusal, and it fails the whole request.
  if (payload.id !== undefined && session.store.get(table.logicalName, payload.id)) throw errors.bulkDuplicateKey();
  const row = insertFromPayload(session, table, payload);
  return String(row[table.primaryIdAttribute]);
}
