import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';
import type { Store } from './store.js';
import type { Row } from './types.js';

/**
 * The stored row with this id, or the service's 404 ObjectDoesNotExist naming it: what every
 * request that names a row checks before anything else about that row.
 */
export function existingRow(store: Store, table: TableDef, id: string): Row {
  const row = store.get(table.logicalName, id);
  if (!row) throw errors.rowNotFound(table.logicalName, id);
  return row;
}
