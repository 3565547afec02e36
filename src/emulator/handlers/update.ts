import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';
import { newGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import { parseJsonObject, readEntityPayload } from '../odata/payload.js';
import type { RowAddress } from '../odata/row-address.js';
import { insertFromPayload } from '../write/create-row.js';
import { requireMessageSupported } from '../write/messages.js';
import { checkWritePreconditions } from '../write/preconditions.js';
import { rowWrittenResponse } from '../write/responses.js';
import { WriteSession } from '../write/session.js';
import { updateFromPayload } from '../write/update-row.js';
import { applyKeyValues } from '../write/url-key.js';

/**
 * `PATCH <entityset>(<id>)` or `PATCH <entityset>(<alternate key>)`: an upsert by default, narrowed
 * by If-Match (update only) and If-None-Match (create only); docs/dataverse-web-api.md §4.1. Answers 204 with
 * OData-EntityId, or the row with `Prefer: return=representation` (200 when updated, 201 when
 * created). By alternate key (use-upsert-insert-update-record): key values in the body are dropped
 * when the row exists, and fill in what the body lacks when it is created; OData-EntityId echoes
 * the key URL.
 */
export function updateRow(ctx: RequestContext, table: TableDef, address: RowAddress): EmulatorResponse {
  const existing = address.id === undefined ? undefined : ctx.core.store.get(table.logicalName, address.id);
  // Create's order (docs/emulator-decisions.md): the message before the body, so a table without
  // it answers 0x80040800 whatever was sent. If-Match makes the upsert an update even of a missing
  // row (answered 404 by the preconditions below), so that is the message it asks for.
  requireMessageSupported(table, existing || ctx.request.headers['if-match'] ? 'Update' : 'Create');
  const payload = readEntityPayload(ctx, table, parseJsonObject(table.entitySetName, ctx.request.body));
  const id = address.id ?? payload.id ?? newGuid();
  if (payload.id !== undefined && payload.id !== id) {
    throw errors.invalidArgument('Entity Id must be the same as the value set in property bag.');
  }
  if (address.alternate && !existing && ctx.request.headers['if-match']?.trim()) throw errors.keyNotFound(table.logicalName);
  checkWritePreconditions(ctx.request.headers, table, id, existing);
  if (address.alternate) applyKeyValues(payload, address.alternate.values, existing !== undefined);
  const session = new WriteSession(ctx);
  const entityId = address.alternate ? `${ctx.serviceRoot}${table.entitySetName}(${address.alternate.text})` : undefined;
  // One transaction with the answer: a representation refused for its query options ($select…) keeps no change.
  const response = ctx.core.store.transaction(() =>
    existing
      ? rowWrittenResponse(ctx, table, updateFromPayload(session, table, existing, payload), 200, entityId)
      : rowWrittenResponse(ctx, table, insertFromPayload(session, table, payload, id), 201, entityId),
  );
  if (!existing) ctx.core.countCreated(table.logicalName, 1);
  return response;
}
