import type { RequestContext } from '../http/context.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { parseJsonObject, readEntityPayload } from '../odata/payload.js';
import { insertFromPayload } from '../write/create-row.js';
import { requireMessageSupported } from '../write/messages.js';
import { rowWrittenResponse } from '../write/responses.js';
import { WriteSession } from '../write/session.js';

/** `POST <entityset>`: create one row (docs/dataverse-web-api.md §4.1). Nothing is written when the request is refused. */
export function createRow(ctx: RequestContext, table: TableDef): EmulatorResponse {
  requireMessageSupported(table, 'Create');
  const payload = readEntityPayload(ctx, table, parseJsonObject(table.entitySetName, ctx.request.body));
  // One transaction with the answer: a representation refused for its query options ($select…) keeps no row.
  const response = ctx.core.store.transaction(() => {
    const row = insertFromPayload(new WriteSession(ctx), table, payload);
    return rowWrittenResponse(ctx, table, row, 201);
  });
  ctx.core.countCreated(table.logicalName, 1);
  return response;
}
