import { errors } from '../http/errors.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';
import { attributeByProperty, isLookup } from './property-names.js';
import { comparableValue, compareComparable, lookupName, type Comparable } from './values.js';

export interface OrderKey {
  attribute: AttributeDef;
  descending: boolean;
}

/**
 * Parses `$orderby=revenue asc,name desc`. Unknown properties get the service's 400; a word other
 * than asc/desc after the property is an ODataLib syntax error at its position.
 */
export function parseOrderBy(text: string, table: TableDef): OrderKey[] {
  const keys: OrderKey[] = [];
  let offset = 0;
  for (const part of text.split(',')) {
    const words = [...part.matchAll(/\S+/g)];
    const [property, direction, extra] = words;
    if (!property) throw errors.badQuery(`Expression expected at position ${offset + part.length} in '${text}'.`);
    const wrong = extra ?? (direction && direction[0] !== 'asc' && direction[0] !== 'desc' ? direction : undefined);
    if (wrong) throw errors.badQuery(`Syntax error at position ${offset + (wrong.index ?? 0)} in '${text}'.`);
    const attribute = attributeByProperty(table, property[0]);
    if (!attribute) throw errors.propertyNotFound(property[0], table.logicalName);
    keys.push({ attribute, descending: direction?.[0] === 'desc' });
    offset += part.length + 1;
  }
  return keys;
}

/**
 * Sorts rows by the keys, then by primary key so that order (and so paging) is stable. Strings
 * sort case-insensitively, nulls first (SQL Server's order), lookups by the related row's primary
 * name and choices by their value (order-rows: "Ordering lookup and choice columns").
 */
export function sortRows(rows: Row[], table: TableDef, keys: readonly OrderKey[], store: Store, metadata: MetadataRegistry): Row[] {
  const primaryNameOf = (logicalName: string) => metadata.table(logicalName)?.primaryNameAttribute;
  const sortValue = (attribute: AttributeDef, row: Row): Comparable => {
    if (!isLookup(attribute)) return comparableValue(attribute, row[attribute.logicalName]);
    return lookupName(store, primaryNameOf, row[attribute.logicalName])?.toLowerCase() ?? null;
  };
  const primaryKey = table.primaryIdAttribute;
  const decorated = rows.map((row) => ({ row, values: keys.map((key) => sortValue(key.attribute, row)), id: String(row[primaryKey]) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareNullsFirst(a.values[i] ?? null, b.values[i] ?? null);
      if (order !== 0) return keys[i]?.descending ? -order : order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return decorated.map((entry) => entry.row);
}

function compareNullsFirst(a: Comparable, b: Comparable): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareComparable(a, b);
}
