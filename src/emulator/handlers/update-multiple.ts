import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { readEntityPayload } from '../odata/payload.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';
import { readBulkTargets } from '../write/bulk-targets.js';
import { WriteSession } from '../write/session.js';
import { updateFromPayload } from '../write/update-row.js';

const ACTION = 'UpdateMultiple';

/**
 * `POST <entityset>/Microsoft.Dynamics.CRM.UpdateMultiple` with `{"Targets":[…]}`, each Target
 * naming its type and primary key (https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations):
 * 204, all or nothing in one transaction, as CreateMultiple; a missing row is the 404 whose text
 * the page's troubleshooting list gives.
 */
export function updateMultiple(ctx: RequestContext, table: TableDef): EmulatorResponse {
  const targets = readBulkTargets(ctx, table, ACTION);
  const session = new WriteSession(ctx);
  ctx.core.store.transaction(() => {
    targets.forEach((target, index) => {
      if (!isJsonObject(target)) throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(target), 'StartObject');
      if (target['@odata.type'] === undefined) throw errors.missingTargetType(table.entitySetName, index);
      const payload = readEntityPayload(ctx, table, target);
      if (payload.id === undefined) throw errors.missingActionParameter(table.primaryIdAttribute, ACTION);
      const existing = ctx.core.store.get(table.logicalName, payload.id);
      if (!existing) throw errors.bulkRowNotFound(table.schemaName, payload.id);
      updateFromPayload(session, table, existing, payload);
    });
  });
  return noContent();
}
