import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import { bindAlternateKey, findByAlternateKey, type AlternateKeyValues } from './alternate-key.js';
import { parseEntityKey } from './entity-key.js';

/**
 * The row a key segment names: by id, or by one of the table's alternate keys, found or not (a
 * PATCH by key creates the row it does not find; everything else answers the service's 404).
 */
export type RowAddress = { id: string; alternate?: undefined } | { id: string | undefined; alternate: AlternateKeyValues };

/** `accounts(<guid>)`, `accounts(accountid=<guid>)` or `accounts(accountnumber='ACC-002')`. */
export function resolveRowAddress(store: Store, table: TableDef, args: string, segment: string): RowAddress {
  const key = parseEntityKey(table, args);
  if (key.kind === 'id') return { id: key.id };
  if (key.kind === 'alternate') {
    const alternate = bindAlternateKey(table, key.parts, key.text);
    const row = findByAlternateKey(store, table, alternate);
    return { id: row ? String(row[table.primaryIdAttribute]) : undefined, alternate };
  }
  throw errors.badQuery(`Bad Request - Error in query syntax. The key '${args.trim()}' of segment '${segment}' is not a GUID.`);
}

/** The id of an addressed row that must exist. */
export function existingRowId(table: TableDef, address: RowAddress): string {
  if (address.id === undefined) throw errors.keyNotFound(table.logicalName);
  return address.id;
}
