import type { EntityPayload } from '../odata/payload.js';
import type { Row } from '../store/types.js';

/**
 * An upsert that names its row by alternate key (use-upsert-insert-update-record): an existing row
 * keeps its key (the body cannot change it while naming the row by it); a new one gets the key's
 * values that the body lacks.
 */
export function applyKeyValues(payload: EntityPayload, keyValues: Readonly<Row>, exists: boolean): void {
  for (const [name, value] of Object.entries(keyValues)) {
    if (exists) delete payload.values[name];
    else if (!(name in payload.values)) payload.values[name] = value;
  }
}
