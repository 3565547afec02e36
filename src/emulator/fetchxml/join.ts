import type { TableDef } from '../metadata/types.js';
import { comparableValue, type Comparable } from '../odata/values.js';
import type { AccessScope } from '../security/model.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';
import type { BoundNode, BoundQuery, Tuple } from './bind.js';
import { intersectRows } from './intersect-tables.js';

/** The Read scope of each node's table, from the same security model as OData queries. */
export type ScopeOf = (table: TableDef) => AccessScope;

/**
 * The rows of a bound query: the entity's readable rows, joined to each link-entity's readable
 * rows in document order (inner joins drop a row without a match, outer joins keep it with none),
 * then the entity's filter. Rows the caller may not read are left out silently, at every level,
 * as the service leaves them out of any query.
 */
export function joinedRows(bound: BoundQuery, store: Store, scopeOf: ScopeOf): Tuple[] {
  const root = bound.nodes[0] as BoundNode;
  const scope = scopeOf(root.table);
  let tuples: Array<Array<Row | null>> = [];
  for (const row of store.rows(root.table.logicalName).values()) {
    if (scope.covers(root.table, row)) tuples.push([row]);
  }
  tuples = joinChildren(tuples, root, bound, store, scopeOf);
  return bound.filter ? tuples.filter(bound.filter) : tuples;
}

function joinChildren(tuples: Array<Array<Row | null>>, node: BoundNode, bound: BoundQuery, store: Store, scopeOf: ScopeOf): Array<Array<Row | null>> {
  let current = tuples;
  for (const childIndex of node.children) {
    const child = bound.nodes[childIndex] as BoundNode;
    current = joinOne(current, child, store, scopeOf);
    current = joinChildren(current, child, bound, store, scopeOf);
  }
  return current;
}

function joinOne(tuples: Array<Array<Row | null>>, node: BoundNode, store: Store, scopeOf: ScopeOf): Array<Array<Row | null>> {
  const link = node.link;
  if (!link) return tuples;
  const matchesOf = rowsMatching(node, store, scopeOf);
  const out: Array<Array<Row | null>> = [];
  for (const tuple of tuples) {
    const parent = tuple[link.parent] ?? null;
    const key = parent ? comparableValue(link.to, parent[link.to.logicalName]) : null;
    const matches = key === null ? undefined : matchesOf(key);
    if (matches && matches.length > 0) {
      for (const match of matches) out.push(withRow(tuple, node.index, match));
    } else if (link.type === 'outer') out.push(withRow(tuple, node.index, null));
  }
  return out;
}

/**
 * The linked rows whose `from` value is a key. An intersect table's rows are the associations of
 * the row on the other side; it has no privileges of its own (the tables on both sides are checked).
 */
function rowsMatching(node: BoundNode, store: Store, scopeOf: ScopeOf): (key: Comparable) => Row[] | undefined {
  const { intersect } = node;
  if (!intersect) {
    const index = readableRowsByKey(node, store, scopeOf);
    return (key) => index.get(key);
  }
  const from = (node.link as NonNullable<BoundNode['link']>).from;
  return (key) => {
    const rows = typeof key === 'string' ? intersectRows(store, intersect, from, key) : [];
    return node.rowTest ? rows.filter(node.rowTest) : rows;
  };
}

/** The link table's rows the caller may read and the link's own filter keeps, by their `from` value. */
function readableRowsByKey(node: BoundNode, store: Store, scopeOf: ScopeOf): Map<Comparable, Row[]> {
  const link = node.link as NonNullable<BoundNode['link']>;
  const scope = scopeOf(node.table);
  const index = new Map<Comparable, Row[]>();
  for (const row of store.rows(node.table.logicalName).values()) {
    if (!scope.covers(node.table, row) || (node.rowTest && !node.rowTest(row))) continue;
    const key = comparableValue(link.from, row[link.from.logicalName]);
    if (key === null) continue;
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }
  return index;
}

function withRow(tuple: Array<Row | null>, index: number, row: Row | null): Array<Row | null> {
  const copy = tuple.slice();
  copy[index] = row;
  return copy;
}
