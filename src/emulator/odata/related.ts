import type { MetadataRegistry } from '../metadata/registry.js';
import { relationship } from '../metadata/relationships.js';
import type { NavigationDef, TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import { isLookupValue, type Row } from '../store/types.js';

/** A row reached through a single-valued navigation property, with the table it is in. */
export interface RelatedRow {
  table: TableDef;
  row: Row;
}

/**
 * The row a single-valued navigation property points at. A multi-table lookup (a Customer's
 * `parentcustomerid_account`) reaches a row only when the stored reference is to that table;
 * `ownerid` follows whichever table (user or team) the reference names.
 */
export function relatedRow(
  store: Store,
  metadata: MetadataRegistry,
  row: Row,
  navigation: Extract<NavigationDef, { kind: 'single' }>,
): RelatedRow | undefined {
  const value = row[navigation.attribute];
  if (!isLookupValue(value)) return undefined;
  const followsAnyTable = navigation.name === navigation.attribute && navigation.attribute === 'ownerid';
  if (!followsAnyTable && value.table !== navigation.target) return undefined;
  const table = metadata.table(value.table);
  const related = store.get(value.table, value.id);
  return table && related ? { table, row: related } : undefined;
}

/** Reads the rows of collection-valued navigation properties for one request. */
export type RelatedRowsReader = (table: TableDef, row: Row, navigation: NavigationDef) => Row[];

/**
 * A reader of collection-valued navigation properties: an N:N set comes from the association
 * store; the 1:N reverse of a lookup from an index of the target table built on first use, so
 * expanding or filtering on it for many parent rows scans the target table once, not once per
 * parent. Make one per request: reads never write, so the index cannot go stale within it.
 */
export function relatedRowsReader(store: Store): RelatedRowsReader {
  const indexes = new Map<NavigationDef, Map<string, Row[]>>();
  return (table, row, navigation) => {
    const id = row[table.primaryIdAttribute];
    if (typeof id !== 'string') return [];
    if (navigation.kind === 'manyToMany') return associatedRows(store, table, id, navigation);
    if (navigation.kind !== 'oneToMany') return [];
    let index = indexes.get(navigation);
    if (!index) {
      index = reverseIndex(store, table, navigation);
      indexes.set(navigation, index);
    }
    return index.get(id) ?? [];
  };
}

function associatedRows(store: Store, table: TableDef, id: string, navigation: Extract<NavigationDef, { kind: 'manyToMany' }>): Row[] {
  const definition = relationship(navigation.relationship);
  if (!definition) return [];
  const rows: Row[] = [];
  for (const otherId of store.associated(navigation.relationship, id, definition.left === table.logicalName)) {
    const other = store.get(navigation.target, otherId);
    if (other) rows.push(other);
  }
  return rows;
}

/** Target rows by the parent id their referencing lookup holds (only references to the parent's table). */
function reverseIndex(store: Store, table: TableDef, navigation: Extract<NavigationDef, { kind: 'oneToMany' }>): Map<string, Row[]> {
  const index = new Map<string, Row[]>();
  for (const candidate of store.rows(navigation.target).values()) {
    const reference = candidate[navigation.referencingAttribute];
    if (!isLookupValue(reference) || reference.table !== table.logicalName) continue;
    const siblings = index.get(reference.id);
    if (siblings) siblings.push(candidate);
    else index.set(reference.id, [candidate]);
  }
  return index;
}
