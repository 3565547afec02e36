import { wantsAnnotation, type Prefer } from '../http/prefer.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { AccessScope } from '../security/model.js';
import type { Store } from '../store/store.js';
import { isLookupValue, type Row } from '../store/types.js';
import { formattedValue } from './formatted.js';
import { attributeByProperty, column, isLookup, navigationNameFor, type Column } from './property-names.js';
import type { ExpandItem, QueryPlan } from './query-plan.js';
import { relatedRow, type RelatedRowsReader } from './related.js';
import { sortRows } from './orderby.js';
import { jsonValue, lookupName } from './values.js';

export const FORMATTED_VALUE = 'OData.Community.Display.V1.FormattedValue';
export const ASSOCIATED_NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
export const LOOKUP_LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** Which property annotations the request asked for (Prefer: odata.include-annotations). */
export interface AnnotationChoice {
  formatted: boolean;
  associatedNavigation: boolean;
  lookupLogicalName: boolean;
}

export function annotationChoice(prefer: Prefer): AnnotationChoice {
  return {
    formatted: wantsAnnotation(prefer, FORMATTED_VALUE),
    associatedNavigation: wantsAnnotation(prefer, ASSOCIATED_NAVIGATION),
    lookupLogicalName: wantsAnnotation(prefer, LOOKUP_LOGICAL_NAME),
  };
}

/** What writing rows needs from the request: the data, the annotations asked for, and who may read what. */
export interface SerializationContext {
  store: Store;
  metadata: MetadataRegistry;
  serviceRoot: string;
  annotations: AnnotationChoice;
  /** The principal's Read scope on a table, undefined without the privilege (memoized per request). */
  readScope(table: TableDef): AccessScope | undefined;
  relatedRows: RelatedRowsReader;
}

export interface WriteOptions {
  /** Rows of collections and top-level rows carry `@odata.etag`; an expanded single row does not. */
  etag: boolean;
}

/** Tables that inherit the principal type: their expanded rows also carry `ownerid` (= their id). */
const PRINCIPAL_TABLES: ReadonlySet<string> = new Set(['systemuser', 'team']);

/**
 * Writes one row as the Web API does: `@odata.etag`, then the projected columns (each property's
 * annotations before the property), then expanded navigation properties. Expanded rows the
 * principal may not read come out as null (single-valued) or are left out (collections).
 */
export function writeRow(
  context: SerializationContext,
  table: TableDef,
  row: Row,
  plan: QueryPlan,
  options: WriteOptions,
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (options.etag && typeof row.versionnumber === 'number') out['@odata.etag'] = `W/"${row.versionnumber}"`;
  const wantsAny = context.annotations.formatted || context.annotations.associatedNavigation || context.annotations.lookupLogicalName;
  for (const { attribute, property } of projectionFor(plan, table)) {
    const value = row[attribute.logicalName];
    if (wantsAny && value !== null && value !== undefined) writeAnnotations(context, table, attribute, value, property, out);
    out[property] = jsonValue(attribute, value);
  }
  for (const item of plan.expand) {
    const name = item.navigation.name;
    if (!item.collection) {
      out[name] = expandSingle(context, row, item);
      continue;
    }
    out[name] = expandCollection(context, table, row, item);
    out[`${name}@odata.nextLink`] = relatedCollectionLink(context, table, row, item);
  }
  return out;
}

/** Writes a column's annotations (formatted value, lookup navigation and table) before it, as asked for. */
export function writeAnnotations(
  context: SerializationContext,
  table: TableDef,
  attribute: AttributeDef,
  value: NonNullable<Row[string]>,
  name: string,
  out: Record<string, unknown>,
): void {
  const { annotations } = context;
  if (annotations.formatted) {
    const formatted = formattedValue(attribute, value, () =>
      lookupName(context.store, (logicalName) => context.metadata.table(logicalName)?.primaryNameAttribute, value),
    );
    if (formatted !== undefined) out[`${name}@${FORMATTED_VALUE}`] = formatted;
  }
  if (isLookup(attribute) && isLookupValue(value)) {
    if (annotations.associatedNavigation) {
      const navigation = navigationNameFor(table, attribute.logicalName, value.table);
      if (navigation) out[`${name}@${ASSOCIATED_NAVIGATION}`] = navigation;
    }
    if (annotations.lookupLogicalName) out[`${name}@${LOOKUP_LOGICAL_NAME}`] = value.table;
  }
}

/** The plan's columns for a row of another table (an `ownerid` expansion that reaches a team). */
function projectionFor(plan: QueryPlan, table: TableDef): readonly Column[] {
  if (plan.table === table) return plan.projection;
  const attributes = plan.select
    ? plan.select.names.map((name) => attributeByProperty(table, name)).filter((attribute) => attribute !== undefined)
    : [...table.attributes.values()];
  const primaryKey = table.attributes.get(table.primaryIdAttribute);
  if (primaryKey && !attributes.includes(primaryKey)) attributes.push(primaryKey);
  return attributes.map(column);
}

function expandSingle(context: SerializationContext, row: Row, item: ExpandItem): Record<string, unknown> | null {
  if (item.navigation.kind !== 'single') return null;
  const related = relatedRow(context.store, context.metadata, row, item.navigation);
  if (!related || !context.readScope(related.table)?.covers(related.table, related.row)) return null;
  if (item.plan.filter && !item.plan.filter(related.row)) return null;
  const written = writeRow(context, related.table, related.row, item.plan, { etag: false });
  // systemuser and team inherit `ownerid` from the principal type (join-tables docs show both keys).
  if (PRINCIPAL_TABLES.has(related.table.logicalName)) written.ownerid = related.row[related.table.primaryIdAttribute] ?? null;
  return written;
}

/**
 * A collection-valued expansion: every readable related row matching the nested options (no
 * paging, as with a single-level $expand).
 */
function expandCollection(context: SerializationContext, table: TableDef, row: Row, item: ExpandItem): unknown[] {
  const scope = context.readScope(item.target);
  if (!scope) return [];
  const { plan } = item;
  const candidates = context.relatedRows(table, row, item.navigation).filter(
    (candidate) => scope.covers(item.target, candidate) && (!plan.filter || plan.filter(candidate)),
  );
  const sorted = sortRows(candidates, item.target, plan.orderBy, context.store, context.metadata);
  const limited = plan.top === undefined ? sorted : sorted.slice(0, plan.top);
  return limited.map((candidate) => writeRow(context, item.target, candidate, plan, { etag: true }));
}

/**
 * `<nav>@odata.nextLink`: the URL of the same related collection with the nested options, which
 * the service writes after every expanded collection, even when all its rows are included.
 */
function relatedCollectionLink(context: SerializationContext, table: TableDef, row: Row, item: ExpandItem): string {
  const id = String(row[table.primaryIdAttribute]);
  return `${context.serviceRoot}${table.entitySetName}(${id})/${item.navigation.name}${item.optionsText ? `?${item.optionsText}` : ''}`;
}
