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

/** The rows of a collection-valued navigation property: the 1:N reverse of a lookup, or an N:N set. */
export function relatedRows(store: Store, table: TableDef, row: Row, navigation: NavigationDef): Row[] {
  const id = row[table.primaryIdAttribute];
  if (typeof id !== 'string') return [];
  if (navigation.kind === 'manyToMany') {
    const definition = relationship(navigation.relationship);
    if (!definition) return [];
    const rows: Row[] = [];
    for (const otherId of store.associated(navigation.relationship, id, definition.left === table.logicalName)) {
      const other = store.get(navigation.target, otherId);
      if (other) rows.push(other);
    }
    return rows;
  }
  if (navigation.kind === 'oneToMany') {
    const rows: Row[] = [];
    for (const candidate of store.rows(navigation.target).values()) {
      const reference = candidate[navigation.referencingAttribute];
      if (isLookupValue(reference) && reference.id === id && reference.table === table.logicalName) rows.push(candidate);
    }
    return rows;
  }
  return [];
}
