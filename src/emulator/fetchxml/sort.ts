import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef } from '../metadata/types.js';
import { isLookup } from '../odata/property-names.js';
import { comparableValue, compareComparable, lookupName, type Comparable } from '../odata/values.js';
import type { Store } from '../store/store.js';
import type { ColumnValue } from '../store/types.js';
import type { BoundNode, BoundQuery, Tuple } from './bind.js';

const CHOICE_TYPES: ReadonlySet<string> = new Set(['Picklist', 'State', 'Status', 'Boolean']);

/**
 * Sorts joined rows by the query's orders (the entity's first, then the link-entities', as
 * order-rows says Dataverse always does), then by the entity's primary key so that paging is
 * stable. Strings compare case-insensitively and nulls come first; lookups sort by the related
 * row's primary name and choices by their label, unless `useraworderby` asks for their value.
 */
export function sortTuples(tuples: Tuple[], bound: BoundQuery, store: Store, metadata: MetadataRegistry): Tuple[] {
  const root = bound.nodes[0] as BoundNode;
  const primaryKey = root.table.primaryIdAttribute;
  const keys = bound.orders.filter((order) => order.attribute !== undefined);
  const value = sortValue(store, metadata, bound.query.rawOrderBy);
  const decorated = tuples.map((tuple) => ({
    tuple,
    values: keys.map((order) => value(order.attribute as AttributeDef, tuple[order.node]?.[(order.attribute as AttributeDef).logicalName])),
    id: String(tuple[0]?.[primaryKey] ?? ''),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareNullsFirst(a.values[i] ?? null, b.values[i] ?? null);
      if (order !== 0) return keys[i]?.descending ? -order : order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return decorated.map((entry) => entry.tuple);
}

/** What a column sorts by: see sortTuples. */
export function sortValue(store: Store, metadata: MetadataRegistry, raw: boolean): (attribute: AttributeDef, value: ColumnValue | undefined) => Comparable {
  const primaryNameOf = (logicalName: string) => metadata.table(logicalName)?.primaryNameAttribute;
  return (attribute, value) => {
    if (value === null || value === undefined) return null;
    if (isLookup(attribute)) return lookupName(store, primaryNameOf, value)?.toLowerCase() ?? null;
    if (!raw && CHOICE_TYPES.has(attribute.type) && attribute.options) {
      const key = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      return attribute.options[key]?.toLowerCase() ?? comparableValue(attribute, value);
    }
    return comparableValue(attribute, value);
  };
}

export function compareNullsFirst(a: Comparable, b: Comparable): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareComparable(a, b);
}
