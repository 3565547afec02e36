import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef } from '../metadata/types.js';
import { writeAnnotations, type SerializationContext } from '../odata/serialize.js';
import { comparableValue, compareComparable, jsonValue, type Comparable } from '../odata/values.js';
import type { Store } from '../store/store.js';
import type { ColumnValue } from '../store/types.js';
import type { BoundColumn, BoundNode, BoundQuery, Tuple } from './bind.js';
import { fetchErrors } from './fetch-errors.js';
import { compareNullsFirst, sortValue } from './sort.js';

/** Aggregate queries read at most 50,000 rows; `aggregatelimit` may only lower that (aggregate-data "Limitations"). */
const AGGREGATE_LIMIT = 50_000;

const WHOLE_NUMBER: AttributeDef = { logicalName: 'count', schemaName: 'Count', type: 'Integer', displayName: 'Count' };
const INTEGER_TYPES: ReadonlySet<string> = new Set(['Integer', 'BigInt']);

interface Group {
  values: Map<BoundColumn, ColumnValue | undefined>;
  tuples: Tuple[];
}

/**
 * The rows of `aggregate='true'`: one per combination of the group-by columns (one in all without
 * any), each with a property per alias, nulls left out as in every FetchXML answer. `count` counts
 * rows, `countcolumn` values (`distinct` ones once), `sum` is 0 over no values (the docs' NULL
 * group shows 0), `avg` of whole numbers is a whole number as SQL Server's AVG is, and null values
 * are never considered (aggregate-data).
 */
export function aggregateRows(bound: BoundQuery, tuples: Tuple[], context: SerializationContext, store: Store, metadata: MetadataRegistry): Record<string, unknown>[] {
  const limit = Math.min(bound.query.aggregateLimit ?? AGGREGATE_LIMIT, AGGREGATE_LIMIT);
  if (tuples.length > limit) throw fetchErrors.aggregateLimit();
  const groupColumns = bound.columns.filter((column) => column.groupBy);
  const groups = groupTuples(tuples, groupColumns);
  const sorted = sortGroups(groups, bound, groupColumns, store, metadata);
  const limited = bound.query.top === undefined ? sorted : sorted.slice(0, bound.query.top);
  return limited.map((group) => writeGroup(bound, group, context));
}

function groupTuples(tuples: Tuple[], groupColumns: BoundColumn[]): Group[] {
  const groups = new Map<string, Group>();
  for (const tuple of tuples) {
    const values = new Map(groupColumns.map((column) => [column, tuple[column.node]?.[column.attribute.logicalName]] as const));
    // Grouped as SQL Server's case-insensitive collation groups: by the comparable value.
    const key = JSON.stringify(groupColumns.map((column) => comparableValue(column.attribute, values.get(column))));
    let group = groups.get(key);
    if (!group) {
      group = { values, tuples: [] };
      groups.set(key, group);
    }
    group.tuples.push(tuple);
  }
  // An aggregate over no rows at all is still one row (COUNT is 0), unless it is grouped.
  if (groups.size === 0 && groupColumns.length === 0) return [{ values: new Map(), tuples: [] }];
  return [...groups.values()];
}

/** By the orders' aliases, then by the group-by values; an order alias of an aggregate sorts by its result. */
function sortGroups(groups: Group[], bound: BoundQuery, groupColumns: BoundColumn[], store: Store, metadata: MetadataRegistry): Group[] {
  const value = sortValue(store, metadata, bound.query.rawOrderBy);
  const orderColumn = (group: Group, column: BoundColumn): Comparable =>
    column.groupBy ? value(column.attribute, group.values.get(column)) : resultComparable(aggregateValue(column, group.tuples));
  const keys = [
    ...bound.orders.filter((order) => order.column).map((order) => ({ column: order.column as BoundColumn, descending: order.descending })),
    ...groupColumns.map((column) => ({ column, descending: false })),
  ];
  return [...groups].sort((a, b) => {
    for (const key of keys) {
      const order = compareNullsFirst(orderColumn(a, key.column), orderColumn(b, key.column));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
}

function writeGroup(bound: BoundQuery, group: Group, context: SerializationContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of bound.columns) {
    const { table } = bound.nodes[column.node] as BoundNode;
    if (column.groupBy) {
      const value = group.values.get(column);
      if (value === null || value === undefined) continue;
      writeAnnotations(context, table, column.attribute, value, column.property, out);
      out[column.property] = jsonValue(column.attribute, value);
      continue;
    }
    const result = aggregateValue(column, group.tuples);
    if (result === null) continue;
    const counted = column.aggregate === 'count' || column.aggregate === 'countcolumn';
    if (context.annotations.formatted) writeAnnotations(context, table, counted ? WHOLE_NUMBER : column.attribute, result, column.property, out);
    out[column.property] = counted ? result : jsonValue(column.attribute, result);
  }
  return out;
}

/** One aggregate over a group's rows, as a column value (null when there is none). */
function aggregateValue(column: BoundColumn, tuples: Tuple[]): ColumnValue {
  const raw = tuples.map((tuple) => tuple[column.node]?.[column.attribute.logicalName]).filter((value) => value !== null && value !== undefined);
  const { attribute } = column;
  switch (column.aggregate) {
    case 'count':
      return tuples.length;
    case 'countcolumn':
      return column.distinct ? new Set(raw.map((value) => comparableValue(attribute, value))).size : raw.length;
    case 'sum':
      return numbers(column, raw).reduce((sum, value) => sum + value, 0);
    case 'avg': {
      const values = numbers(column, raw);
      if (values.length === 0) return null;
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return INTEGER_TYPES.has(attribute.type) ? Math.trunc(mean) : mean;
    }
    case 'min':
    case 'max': {
      let best: ColumnValue | undefined;
      for (const value of raw) {
        if (best === undefined) best = value;
        else {
          const order = compareComparable(comparableValue(attribute, value) as Exclude<Comparable, null>, comparableValue(attribute, best) as Exclude<Comparable, null>);
          if (column.aggregate === 'min' ? order < 0 : order > 0) best = value;
        }
      }
      return best ?? null;
    }
    default:
      return null;
  }
}

const NUMBER_TYPES: ReadonlySet<string> = new Set(['Integer', 'BigInt', 'Decimal', 'Double', 'Money']);

function numbers(column: BoundColumn, values: ColumnValue[]): number[] {
  if (!NUMBER_TYPES.has(column.attribute.type) || values.some((value) => typeof value !== 'number')) {
    throw fetchErrors.invalidArgument(`The aggregate '${column.aggregate}' needs a number column; '${column.attribute.logicalName}' is of type ${column.attribute.type}.`);
  }
  return values as number[];
}

function resultComparable(value: ColumnValue): Comparable {
  if (value === null || typeof value === 'object') return null;
  return typeof value === 'string' ? value.toLowerCase() : value;
}
