import type { RequestContext } from '../http/context.js';
import { wantsAnnotation } from '../http/prefer.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { MAX_PAGE_SIZE } from '../odata/paging.js';
import { appliedAnnotations, filterEnvironment, serializationContext } from '../odata/request-scope.js';
import { requireAccess } from '../security/checks.js';
import type { AccessScope } from '../security/model.js';
import { aggregateRows } from './aggregate.js';
import { bindFetch, type BoundNode, type BoundQuery, type Tuple } from './bind.js';
import { fetchErrors } from './fetch-errors.js';
import { joinedRows } from './join.js';
import { lastIdInCookie, pagingCookieAfter } from './paging-cookie.js';
import { readFetch } from './read-fetch.js';
import { sortTuples } from './sort.js';
import { distinctKey, writeTuple } from './write-rows.js';

const PAGING_COOKIE = 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie';
const MORE_RECORDS = 'Microsoft.Dynamics.CRM.morerecords';
const TOTAL_RECORD_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
const TOTAL_RECORD_COUNT_LIMIT_EXCEEDED = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

/** Options that may come with `fetchXml` (use-fetchxml-web-api: `&$count=true` may be appended). */
const COMPANIONS: ReadonlySet<string> = new Set(['fetchXml', '$count']);

/**
 * `GET accounts?fetchXml=<fetch…>`: the query read and bound, the rows joined and filtered with
 * the caller's Read scope on every table it touches (as an OData query's), then sorted, made
 * distinct, aggregated or paged, and written as page-results and use-fetchxml-web-api show.
 */
export function fetchCollection(ctx: RequestContext, table: TableDef, fetchXml: string): EmulatorResponse {
  for (const name of ctx.query.keys()) {
    if (!COMPANIONS.has(name) && name.startsWith('$')) throw fetchErrors.notEmulated(`together with the query option '${name}'`);
  }
  const query = readFetch(fetchXml);
  const bound = bindFetch(query, table, ctx.core.metadata, filterEnvironment(ctx));
  const scopes = new Map<TableDef, AccessScope>();
  const scopeOf = (target: TableDef): AccessScope => {
    let scope = scopes.get(target);
    if (!scope) {
      // Every table of the query needs the Read privilege, as an OData query's table does (403 otherwise).
      scope = requireAccess(ctx.core.security, ctx.principal, 'Read', target);
      scopes.set(target, scope);
    }
    return scope;
  };
  for (const node of bound.nodes) if (!node.intersect) scopeOf(node.table);
  const tuples = joinedRows(bound, ctx.core.store, scopeOf);
  const context = serializationContext(ctx);
  const headers: Record<string, string> = {};
  const applied = appliedAnnotations(ctx);
  if (applied) headers['Preference-Applied'] = applied;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, table, bound) };

  if (query.aggregate) {
    body.value = aggregateRows(bound, tuples, context, ctx.core.store, ctx.core.metadata);
    return jsonResponse(200, body, headers);
  }

  const rows = distinctRows(bound, sortTuples(tuples, bound, ctx.core.store, ctx.core.metadata));
  const counting = query.returnTotalRecordCount || ctx.query.get('$count') === 'true';
  if (query.top !== undefined) {
    if (query.top > MAX_PAGE_SIZE) throw fetchErrors.invalidArgument(`The top attribute cannot exceed ${MAX_PAGE_SIZE}.`);
    if (query.page !== undefined) throw fetchErrors.invalidArgument("The top attribute can't be specified with paging attribute page");
    if (counting) throw fetchErrors.invalidArgument("The top attribute can't be specified with returntotalrecordcount.");
  }
  if (counting) writeCounts(ctx, body, rows.length);

  const { page, more, number } = pageOf(bound, rows);
  const first = page[0];
  const last = page[page.length - 1];
  if (more && first && last) {
    if (wantsAnnotation(ctx.prefer, PAGING_COOKIE) && supportsCookie(bound)) body[`@${PAGING_COOKIE}`] = pagingCookieAfter(bound, number, first, last);
    if (wantsAnnotation(ctx.prefer, MORE_RECORDS)) body[`@${MORE_RECORDS}`] = true;
  }
  body.value = page.map((tuple) => writeTuple(context, bound, tuple));
  return jsonResponse(200, body, headers);
}

/**
 * The page asked for: `top` rows, or page `page` of `count` rows (5,000 at most). A paging cookie
 * of the previous page continues after the row it names; without one (or when that row is gone)
 * the page is counted from the start, as simple paging does.
 */
function pageOf(bound: BoundQuery, rows: Tuple[]): { page: Tuple[]; more: boolean; number: number } {
  const { query } = bound;
  if (query.top !== undefined) return { page: rows.slice(0, query.top), more: false, number: 1 };
  const size = Math.min(query.count ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) || MAX_PAGE_SIZE;
  const number = Math.max(query.page ?? 1, 1);
  const root = bound.nodes[0] as BoundNode;
  let start = (number - 1) * size;
  const lastId = query.pagingCookie === undefined ? undefined : lastIdInCookie(query.pagingCookie, root.table, number);
  if (lastId !== undefined) {
    // Only a row that comes once says where the page ends: a row joined to several linked rows
    // appears in several places, and then the page is counted instead.
    const indexes = rows.flatMap((tuple, index) => (tuple[0]?.[root.table.primaryIdAttribute] === lastId ? [index] : []));
    if (indexes.length === 1) start = (indexes[0] as number) + 1;
  }
  return { page: rows.slice(start, start + size), more: start + size < rows.length, number };
}

/** Queries sorted by a link-entity column, or distinct, get no cookie and fall back to simple paging (page-results). */
function supportsCookie(bound: BoundQuery): boolean {
  return !bound.query.distinct && bound.orders.every((order) => order.node === 0);
}

function distinctRows(bound: BoundQuery, rows: Tuple[]): Tuple[] {
  if (!bound.query.distinct) return rows;
  const seen = new Set<string>();
  return rows.filter((tuple) => {
    const key = distinctKey(bound, tuple);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `@odata.count` and the record-count annotations, up to 5,000 (count-rows). */
function writeCounts(ctx: RequestContext, body: Record<string, unknown>, total: number): void {
  body['@odata.count'] = Math.min(total, MAX_PAGE_SIZE);
  if (wantsAnnotation(ctx.prefer, TOTAL_RECORD_COUNT)) body[`@${TOTAL_RECORD_COUNT}`] = total > MAX_PAGE_SIZE ? -1 : total;
  if (wantsAnnotation(ctx.prefer, TOTAL_RECORD_COUNT_LIMIT_EXCEEDED)) body[`@${TOTAL_RECORD_COUNT_LIMIT_EXCEEDED}`] = total > MAX_PAGE_SIZE;
}

/** `…$metadata#accounts(name,accountid)`: the entity's columns; the bare set for aggregates and all-attributes. */
function contextUrl(ctx: RequestContext, table: TableDef, bound: BoundQuery): string {
  const base = `${ctx.serviceRoot}$metadata#${table.entitySetName}`;
  if (bound.query.aggregate || bound.query.entity.allAttributes) return base;
  const properties = bound.columns.filter((column) => column.node === 0 && column.aggregate === undefined).map((column) => column.property);
  return properties.length > 0 ? `${base}(${properties.join(',')})` : base;
}
