import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { parseJsonObject, readEntityPayload } from '../odata/payload.js';
import { insertFromPayload } from '../write/create-row.js';
import { requireMessageSupported } from '../write/messages.js';
import { checkWritePreconditions } from '../write/preconditions.js';
import { rowWrittenResponse } from '../write/responses.js';
import { WriteSession } from '../write/session.js';
import { updateFromPayload } from '../write/update-row.js';

/**
 * `PATCH <entityset>(<id>)`: an upsert by default, narrowed by If-Match (update only) and
 * If-None-Match (create only); reference §4.1. Answers 204 with OData-EntityId, or the row with
 * `Prefer: return=representation` (200 when updated, 201 when created).
 */
export function updateRow(ctx: RequestContext, table: TableDef, id: string): EmulatorResponse {
  const existing = ctx.core.store.get(table.logicalName, id);
  // Create's order (docs/emulator-decisions.md): the message before the body, so a table without
  // it answers 0x80040800 whatever was sent. If-Match makes the upsert an update even of a missing
  // row (answered 404 by the preconditions below), so that is the message it asks for.
  requireMessageSupported(table, existing || ctx.request.headers['if-match'] ? 'Update' : 'Create');
  const payload = readEntityPayload(ctx, table, parseJsonObject(table.entitySetName, ctx.request.body));
  if (payload.id !== undefined && payload.id !== id) {
    throw errors.invalidArgument('Entity Id must be the same as the value set in property bag.');
  }
  checkWritePreconditions(ctx.request.headers, table, id, existing);
  const session = new WriteSession(ctx);
  // One transaction with the answer: a representation refused for its query options ($select…) keeps no change.
  const response = ctx.core.store.transaction(() =>
    existing
      ? rowWrittenResponse(ctx, table, updateFromPayload(session, table, existing, payload), 200)
      : rowWrittenResponse(ctx, table, insertFromPayload(session, table, payload, id), 201),
  );
  if (!existing) ctx.core.countCreated(table.logicalName, 1);
  return response;
}
