import type { RequestContext } from '../http/context.js';
import { jsonResponse, noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { rowRepresentation } from '../handlers/read.js';
import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';

/**
 * The answer to a create or update (docs/dataverse-web-api.md §4.1): by default 204 with the row's URL in
 * `OData-EntityId`; with `Prefer: return=representation` the row itself (honouring `$select` on
 * the request URL), `Preference-Applied`, and no OData-EntityId.
 */
export function rowWrittenResponse(
  ctx: RequestContext,
  table: TableDef,
  row: Row,
  representationStatus: 200 | 201,
  /** The URL the row was addressed by, when not its id (an alternate key: the upsert docs echo it). */
  entityId: string = `${ctx.serviceRoot}${table.entitySetName}(${String(row[table.primaryIdAttribute])})`,
): EmulatorResponse {
  if (ctx.prefer.returnRepresentation) {
    return jsonResponse(representationStatus, rowRepresentation(ctx, table, row), { 'Preference-Applied': 'return=representation' });
  }
  return noContent({ 'OData-EntityId': entityId });
}
