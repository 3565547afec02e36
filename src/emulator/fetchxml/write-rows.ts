import { jsonValue } from '../odata/values.js';
import { writeAnnotations, type SerializationContext } from '../odata/serialize.js';
import type { BoundNode, BoundQuery, Tuple } from './bind.js';

/**
 * One joined row as the Web API writes a FetchXML result: `@odata.etag` of the entity's row, then
 * each column with its annotations before it. Link-entity columns are named `alias.column`.
 * Unlike OData queries, null values are left out (use-fetchxml-web-api: "data returned from
 * FetchXML will not return properties with null values").
 */
export function writeTuple(context: SerializationContext, bound: BoundQuery, tuple: Tuple): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const root = tuple[0];
  // Distinct rows are not rows of the table any more: no version, as no primary key.
  if (!bound.query.distinct && root && typeof root.versionnumber === 'number') out['@odata.etag'] = `W/"${root.versionnumber}"`;
  const wantsAny = context.annotations.formatted || context.annotations.associatedNavigation || context.annotations.lookupLogicalName;
  for (const column of bound.columns) {
    const row = tuple[column.node];
    const value = row?.[column.attribute.logicalName];
    if (value === null || value === undefined) continue;
    const { table } = bound.nodes[column.node] as BoundNode;
    if (wantsAny) writeAnnotations(context, table, column.attribute, value, column.property, out);
    out[column.property] = jsonValue(column.attribute, value);
  }
  return out;
}

/** The key distinct compares rows by: the values of the answer's columns. */
export function distinctKey(bound: BoundQuery, tuple: Tuple): string {
  return JSON.stringify(bound.columns.map((column) => jsonValue(column.attribute, tuple[column.node]?.[column.attribute.logicalName])));
}
