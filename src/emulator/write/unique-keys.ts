import { errors } from '../http/errors.js';
import type { KeyDef, TableDef } from '../metadata/types.js';
import { keyTuple } from '../odata/alternate-key.js';
import type { Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/**
 * An alternate key is a unique index: a write that would give a second row the same key values is
 * refused with DuplicateRecordEntityKey (412 0x80060892). Rows with an empty key column are not
 * indexed (docs/emulator-decisions.md). The index of each key is built once per request from the
 * store and kept up to date by the request's own writes, so a CreateMultiple of many rows scans the
 * table once.
 */
export function claimKeys(session: WriteSession, table: TableDef, id: string, row: Row, previous?: Row): void {
  for (const key of table.keys) {
    const tuple = keyTuple(table, key, row);
    const before = previous ? keyTuple(table, key, previous) : undefined;
    if (previous && tuple === before) continue;
    const index = keyIndex(session, table, key);
    if (tuple !== undefined) {
      const holder = index.get(tuple);
      if (holder !== undefined && holder !== id) throw duplicate(table, key);
    }
    if (before !== undefined && index.get(before) === id) index.delete(before);
    if (tuple !== undefined) index.set(tuple, id);
  }
}

function keyIndex(session: WriteSession, table: TableDef, key: KeyDef): Map<string, string> {
  let index = session.keyIndexes.get(key);
  if (!index) {
    index = new Map();
    for (const [id, row] of session.store.rows(table.logicalName)) {
      const tuple = keyTuple(table, key, row);
      if (tuple !== undefined) index.set(tuple, id);
    }
    session.keyIndexes.set(key, index);
  }
  return index;
}

function duplicate(table: TableDef, key: KeyDef) {
  const columns = key.attributes.map((name) => table.attributes.get(name)?.displayName ?? name).join(', ');
  return errors.duplicateEntityKey(key.displayName, columns);
}
