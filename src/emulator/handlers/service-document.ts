import type { RequestContext } from '../http/context.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';

/** `GET /api/data/v9.2/`: the OData service document listing the entity sets. */
export function serviceDocument(ctx: RequestContext): EmulatorResponse {
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata`,
    value: ctx.core.metadata
      .all()
      .map((table) => ({ name: table.entitySetName, kind: 'EntitySet', url: table.entitySetName }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  });
}
