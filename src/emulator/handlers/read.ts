import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { wantsAnnotation } from '../http/prefer.js';
import { baseHeaders, jsonResponse, noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { AttributeDef, NavigationDef, TableDef } from '../metadata/types.js';
import { collectionContext, entityContext } from '../odata/context-url.js';
import { sortRows } from '../odata/orderby.js';
import { MAX_PAGE_SIZE, nextLink, pageSizeFor, pageStart, readSkipToken, skipTokenAfter } from '../odata/paging.js';
import { isLookup, propertyName } from '../odata/property-names.js';
import { parseQueryPlan, type QueryPlan } from '../odata/query-plan.js';
import { relatedRow, relatedRowsReader } from '../odata/related.js';
import { appliedAnnotations, filterEnvironment, serializationContext } from '../odata/request-scope.js';
import { writeRow } from '../odata/serialize.js';
import { jsonValue } from '../odata/values.js';
import { requireAccess } from '../security/checks.js';
import type { AccessScope } from '../security/model.js';
import { existingRow } from '../store/existing-row.js';
import { fetchCollection } from '../fetchxml/fetch-collection.js';
import type { Row } from '../store/types.js';

const TOTAL_RECORD_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
const TOTAL_RECORD_COUNT_LIMIT_EXCEEDED = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

/**
 * The body the service returns for one row (a create or update with `Prefer: return=representation`):
 * `@odata.context` (`…#accounts/$entity`, with the select list when `$select`/`$expand` were sent on
 * the URL), `@odata.etag`, the columns, and the expanded navigation properties.
 */
export function rowRepresentation(ctx: RequestContext, table: TableDef, row: Row): Record<string, unknown> {
  const plan = parseQueryPlan(ctx.query, table, filterEnvironment(ctx));
  return writeRow(serializationContext(ctx), table, row, plan, { etag: true }, {
    '@odata.context': entityContext(ctx.serviceRoot, table.entitySetName, plan),
  });
}

/**
 * `GET accounts(<id>)`: query options are parsed first (a bad one is a 400 whatever the id), then
 * the row must exist (404), then be readable (403), as the service checks them.
 */
export function readRow(ctx: RequestContext, table: TableDef, id: string): EmulatorResponse {
  const plan = parseQueryPlan(ctx.query, table, filterEnvironment(ctx));
  const row = existingRow(ctx.core.store, table, id);
  requireAccess(ctx.core.security, ctx.principal, 'Read', table, row);
  return singleRowResponse(ctx, table, row, plan);
}

/** `GET accounts?…`: the readable rows that match, sorted, one page at a time. */
export function readCollection(ctx: RequestContext, table: TableDef): EmulatorResponse {
  // A FetchXML query replaces the OData options: only a collection of the entity's own set takes one.
  const fetchXml = ctx.query.get('fetchXml');
  if (fetchXml !== undefined) return fetchCollection(ctx, table, fetchXml);
  const plan = parseQueryPlan(ctx.query, table, filterEnvironment(ctx));
  const scope = requireAccess(ctx.core.security, ctx.principal, 'Read', table);
  const rows = matchingRows(ctx, table, ctx.core.store.rows(table.logicalName).values(), scope, plan);
  return collectionResponse(ctx, table, plan, rows);
}

/** `GET accounts/$count`: the number of readable matching rows (at most 5,000), as text/plain. */
export function countCollection(ctx: RequestContext, table: TableDef): EmulatorResponse {
  const plan = parseQueryPlan(ctx.query, table, filterEnvironment(ctx));
  const scope = requireAccess(ctx.core.security, ctx.principal, 'Read', table);
  let count = 0;
  for (const row of ctx.core.store.rows(table.logicalName).values()) {
    if (scope.covers(table, row) && (!plan.filter || plan.filter(row))) count++;
  }
  return { status: 200, headers: { ...baseHeaders(), 'Content-Type': 'text/plain' }, body: String(Math.min(count, MAX_PAGE_SIZE)) };
}

/** `GET accounts(<id>)/name` → `{"@odata.context":"…#accounts(<id>)/name","value":…}`; 204 when null. */
export function readProperty(ctx: RequestContext, table: TableDef, id: string, attribute: AttributeDef): EmulatorResponse {
  // A lookup has no structural property of its own name: only `_x_value` and navigation properties.
  if (isLookup(attribute)) throw errors.resourceNotFoundForSegment(attribute.logicalName);
  const row = existingRow(ctx.core.store, table, id);
  requireAccess(ctx.core.security, ctx.principal, 'Read', table, row);
  const value = row[attribute.logicalName];
  if (value === null || value === undefined) return noContent();
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#${table.entitySetName}(${id})/${propertyName(attribute)}`,
    value: jsonValue(attribute, value),
  });
}

/**
 * `GET systemusers(<id>)/systemuserroles_association` (a related collection, answered like a
 * collection of the target table) or `GET contacts(<id>)/parentcustomerid_account` (the related
 * row; 204 when the lookup is empty).
 */
export function readNavigation(ctx: RequestContext, table: TableDef, id: string, navigation: NavigationDef): EmulatorResponse {
  const target = ctx.core.metadata.require(navigation.target);
  const plan = parseQueryPlan(ctx.query, target, filterEnvironment(ctx));
  const row = existingRow(ctx.core.store, table, id);
  const { security, store, metadata } = ctx.core;
  requireAccess(security, ctx.principal, 'Read', table, row);
  if (navigation.kind === 'single') {
    const related = relatedRow(store, metadata, row, navigation);
    if (!related) return noContent();
    requireAccess(security, ctx.principal, 'Read', related.table, related.row);
    return singleRowResponse(ctx, related.table, related.row, related.table === target ? plan : parseQueryPlan(ctx.query, related.table, filterEnvironment(ctx)));
  }
  const scope = requireAccess(security, ctx.principal, 'Read', target);
  return collectionResponse(ctx, target, plan, matchingRows(ctx, target, relatedRowsReader(store)(table, row, navigation), scope, plan));
}

function matchingRows(ctx: RequestContext, table: TableDef, candidates: Iterable<Row>, scope: AccessScope, plan: QueryPlan): Row[] {
  const rows: Row[] = [];
  // Rows outside the principal's depth are left out silently, as the service does (filter-rows).
  for (const row of candidates) if (scope.covers(table, row) && (!plan.filter || plan.filter(row))) rows.push(row);
  return sortRows(rows, table, plan.orderBy, ctx.core.store, ctx.core.metadata);
}

function singleRowResponse(ctx: RequestContext, table: TableDef, row: Row, plan: QueryPlan): EmulatorResponse {
  const etag = typeof row.versionnumber === 'number' ? `W/"${row.versionnumber}"` : undefined;
  const headers: Record<string, string> = etag ? { ETag: etag } : {};
  // Conditional GET: never with $expand or annotations, whose content the version does not cover (docs/dataverse-web-api.md §3.1).
  if (etag && plan.expand.length === 0 && ctx.prefer.includeAnnotations.length === 0 && matchesIfNoneMatch(ctx, etag)) {
    return { status: 304, headers: { ...baseHeaders(), ...headers } };
  }
  const annotations = appliedAnnotations(ctx);
  if (annotations) headers['Preference-Applied'] = annotations;
  const body = writeRow(serializationContext(ctx), table, row, plan, { etag: true }, {
    '@odata.context': entityContext(ctx.serviceRoot, table.entitySetName, plan),
  });
  return jsonResponse(200, body, headers);
}

function matchesIfNoneMatch(ctx: RequestContext, etag: string): boolean {
  const header = ctx.request.headers['if-none-match'];
  return header !== undefined && header.split(',').some((candidate) => candidate.trim() === etag);
}

/**
 * A page of rows: `@odata.context`, `@odata.count` and the record-count annotations before
 * `value`, `@odata.nextLink` after it. `$top` limits the rows, except with `odata.maxpagesize`,
 * which makes the service ignore it (page-results docs).
 */
function collectionResponse(ctx: RequestContext, table: TableDef, plan: QueryPlan, rows: Row[]): EmulatorResponse {
  const paging = pageSizeFor(ctx.prefer);
  let page: Row[];
  let link: string | undefined;
  if (plan.top !== undefined && !paging.applied) page = rows.slice(0, plan.top);
  else {
    const position = plan.skipToken === undefined ? undefined : readSkipToken(plan.skipToken);
    const start = pageStart(rows, table, position, paging.size);
    page = rows.slice(start, start + paging.size);
    const first = page[0];
    const last = page[page.length - 1];
    if (start + paging.size < rows.length && first && last) {
      link = nextLink(ctx.core.origin, ctx.request.target, skipTokenAfter(table, position?.pageNumber ?? 1, first, last));
    }
  }
  const total = Math.min(rows.length, MAX_PAGE_SIZE);
  const body: Record<string, unknown> = { '@odata.context': collectionContext(ctx.serviceRoot, table.entitySetName, plan) };
  if (plan.count) body['@odata.count'] = total;
  if (wantsAnnotation(ctx.prefer, TOTAL_RECORD_COUNT)) body[`@${TOTAL_RECORD_COUNT}`] = plan.count ? total : -1;
  if (wantsAnnotation(ctx.prefer, TOTAL_RECORD_COUNT_LIMIT_EXCEEDED)) {
    body[`@${TOTAL_RECORD_COUNT_LIMIT_EXCEEDED}`] = plan.count && rows.length > MAX_PAGE_SIZE;
  }
  const context = serializationContext(ctx);
  body.value = page.map((row) => writeRow(context, table, row, plan, { etag: true }));
  if (link) body['@odata.nextLink'] = link;

  const applied = [paging.applied ? `odata.maxpagesize=${paging.size}` : undefined, appliedAnnotations(ctx)].filter((item) => item !== undefined);
  return jsonResponse(200, body, applied.length > 0 ? { 'Preference-Applied': applied.join(',') } : {});
}
