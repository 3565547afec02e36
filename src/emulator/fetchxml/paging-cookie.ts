import type { AttributeDef, TableDef } from '../metadata/types.js';
import { isLookupValue, type ColumnValue, type Row } from '../store/types.js';
import type { BoundNode, BoundQuery, Tuple } from './bind.js';
import { fetchErrors } from './fetch-errors.js';
import { readXml } from './xml.js';

/**
 * The `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` after a page, in the shape page-results shows:
 * `<cookie pagenumber="<next page>" pagingcookie="<inner cookie, URL-encoded twice>" istracking="False" />`,
 * where the inner cookie names the page just returned and, for each order column of the entity and
 * then its primary key, the values of the page's last and first rows (ids upper-case in braces).
 */
export function pagingCookieAfter(bound: BoundQuery, page: number, first: Tuple, last: Tuple): string {
  const root = bound.nodes[0] as BoundNode;
  const columns: AttributeDef[] = [];
  for (const order of bound.orders) {
    if (order.node === 0 && order.attribute && !columns.includes(order.attribute)) columns.push(order.attribute);
  }
  const primaryKey = root.table.attributes.get(root.table.primaryIdAttribute);
  if (primaryKey && !columns.includes(primaryKey)) columns.push(primaryKey);
  const children = columns.map((attribute) => {
    const value = (tuple: Tuple) => escapeXml(cookieValue(attribute, (tuple[0] as Row)[attribute.logicalName]));
    return `<${attribute.logicalName} last="${value(last)}" first="${value(first)}" />`;
  });
  const inner = `<cookie page="${page}">${children.join('')}</cookie>`;
  const encoded = encodeTwice(inner);
  return `<cookie pagenumber="${page + 1}" pagingcookie="${encoded}" istracking="False" />`;
}

/**
 * The last row of the previous page that a `paging-cookie` names, when it is the cookie of the page
 * just before the one asked for; undefined otherwise, since the service ignores the cookie of a page
 * that is not the previous one (page-large-result-sets-with-fetchxml: "if you request nonconsecutive
 * pages, the paging cookie value is ignored").
 */
export function lastIdInCookie(cookie: string, table: TableDef, page: number): string | undefined {
  let element;
  try {
    element = readXml(cookie);
  } catch {
    throw fetchErrors.invalidArgument('The paging-cookie attribute is not a paging cookie the service issued.');
  }
  const cookiePage = element.attributes.get('page');
  if (element.name !== 'cookie' || cookiePage === undefined || !/^\d+$/.test(cookiePage)) {
    throw fetchErrors.invalidArgument('The paging-cookie attribute is not a paging cookie the service issued.');
  }
  if (Number(cookiePage) !== page - 1) return undefined;
  const key = element.children.find((child) => child.name === table.primaryIdAttribute)?.attributes.get('last');
  const id = key?.replace(/^\{(.*)\}$/, '$1').toLowerCase();
  return id;
}

function cookieValue(attribute: AttributeDef, value: ColumnValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (isLookupValue(value)) return `{${value.id.toUpperCase()}}`;
  if (attribute.type === 'Uniqueidentifier' && typeof value === 'string') return `{${value.toUpperCase()}}`;
  return String(value);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Every character but letters, digits and `-_.~` as `%xx` with lower-case hex, then every `%` once more. */
function encodeTwice(text: string): string {
  const once = Array.from(new TextEncoder().encode(text), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9\-_.~]/.test(char) && byte < 128 ? char : `%${byte.toString(16).padStart(2, '0')}`;
  }).join('');
  return once.replace(/%/g, '%25');
}
