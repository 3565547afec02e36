import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { propertyName } from '../odata/property-names.js';
import { isLookupValue, type Row } from '../store/types.js';

/**
 * The body the service returns for one row (GET by id, or a create/update with
 * `Prefer: return=representation`): `@odata.context`, `@odata.etag`, then the columns.
 * First version: every column; $select/$expand come with the query engine.
 */
export function rowRepresentation(ctx: RequestContext, table: TableDef, row: Row): Record<string, unknown> {
  const body: Record<string, unknown> = { '@odata.context': `${ctx.serviceRoot}$metadata#${table.entitySetName}/$entity` };
  if (typeof row.versionnumber === 'number') body['@odata.etag'] = `W/"${row.versionnumber}"`;
  for (const attribute of table.attributes.values()) {
    const value = row[attribute.logicalName];
    body[propertyName(attribute)] = isLookupValue(value) ? value.id : (value ?? null);
  }
  return body;
}

// Placeholders until the query engine lands: answer NotSupported.
export function readCollection(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
export const countCollection = readCollection;
export const readRow = readCollection;
export const readProperty = readCollection;
export const readNavigation = readCollection;
