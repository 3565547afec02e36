import { errors } from '../http/errors.js';
import type { KeyDef, TableDef } from '../metadata/types.js';
import { alternateKeyIndex, keyTuple } from '../odata/alternate-key.js';
import type { Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/**
 * An alternate key is a unique index: a write that would give a second row the same key values is
 * refused with DuplicateRecordEntityKey (412 0x80060892). Rows with an empty key column are not
 * indexed (docs/emulator-decisions.md). The store keeps the index (Store.uniqueIndex), and each
 * write's insert or replace, which follows this check at once, updates it, so a CreateMultiple's
 * later rows see its earlier ones.
 */
export function claimKeys(session: WriteSession, table: TableDef, id: string, row: Row, previous?: Row): void {
  for (const key of table.keys) {
    const tuple = keyTuple(table, key, row);
    if (tuple === undefined || (previous && tuple === keyTuple(table, key, previous))) continue;
    const holder = alternateKeyIndex(session.store, table, key).get(tuple);
    if (holder !== undefined && holder !== id) throw duplicate(table, key);
  }
}

function duplicate(table: TableDef, key: KeyDef) {
  const columns = key.attributes.map((name) => table.attributes.get(name)?.displayName ?? name).join(', ');
  return errors.duplicateEntityKey(key.displayName, columns);
}
