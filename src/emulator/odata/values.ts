import type { AttributeDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import { isLookupValue, type ColumnValue } from '../store/types.js';

/**
 * A column value in the form $filter and $orderby compare: strings lower-cased (Dataverse compares
 * strings case-insensitively), ids lower-case, dates as epoch milliseconds, null for no value.
 */
export type Comparable = string | number | boolean | null;

export function comparableValue(attribute: AttributeDef, value: ColumnValue | undefined): Comparable {
  if (value === null || value === undefined) return null;
  if (isLookupValue(value)) return value.id.toLowerCase();
  if (typeof value === 'string') {
    if (attribute.type === 'DateTime') {
      const time = Date.parse(value);
      return Number.isNaN(time) ? null : time;
    }
    return value.toLowerCase();
  }
  return value;
}

/**
 * A value as the Web API writes it in JSON: lookups as their id, date-times to the second with a
 * `Z` (the service writes `2023-04-07T21:59:01Z`, no milliseconds).
 */
export function jsonValue(attribute: AttributeDef, value: ColumnValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (isLookupValue(value)) return value.id;
  if (attribute.type === 'DateTime' && typeof value === 'string' && value.length > 20 && value.endsWith('Z')) {
    return `${value.slice(0, 19)}Z`;
  }
  return value;
}

/** The primary name of the row a lookup points at (its formatted value, and what $orderby sorts it by). */
export function lookupName(store: Store, primaryNameOf: (table: string) => string | undefined, value: ColumnValue | undefined): string | undefined {
  if (!isLookupValue(value)) return undefined;
  const attribute = primaryNameOf(value.table);
  if (!attribute) return undefined;
  const name = store.get(value.table, value.id)?.[attribute];
  return typeof name === 'string' ? name : undefined;
}

/** Orders two non-null comparables of the same kind (booleans: false before true). */
export function compareComparable(a: Exclude<Comparable, null>, b: Exclude<Comparable, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}
