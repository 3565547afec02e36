import { errors } from '../http/errors.js';
import type { Prefer } from '../http/prefer.js';
import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';

/** Default and largest page: larger `odata.maxpagesize` requests are ignored (page-results docs). */
export const MAX_PAGE_SIZE = 5000;

/** The page size a request gets, and whether its `odata.maxpagesize` preference was applied. */
export function pageSizeFor(prefer: Prefer): { size: number; applied: boolean } {
  const asked = prefer.maxPageSize;
  if (asked !== undefined && asked <= MAX_PAGE_SIZE) return { size: asked, applied: true };
  return { size: MAX_PAGE_SIZE, applied: false };
}

/** What a `$skiptoken` paging cookie says: the page it asks for and the last row of the page before. */
export interface PagingPosition {
  pageNumber: number;
  lastId: string | undefined;
}

const PAGE_NUMBER = /pagenumber="(\d+)"/;
const PAGING_COOKIE = /pagingcookie="([^"]*)"/;
const LAST_ID = /last="\{([0-9a-fA-F-]{36})\}"/;

/**
 * Reads `<cookie pagenumber="2" pagingcookie="…" istracking="False" />` (already URL-decoded once
 * by the query string parser; the inner cookie is encoded once more, as the service writes it).
 */
export function readSkipToken(token: string): PagingPosition {
  const pageNumber = PAGE_NUMBER.exec(token)?.[1];
  const cookie = PAGING_COOKIE.exec(token)?.[1];
  if (!token.startsWith('<cookie') || pageNumber === undefined || cookie === undefined) {
    throw errors.badQuery(`The $skiptoken value '${token}' is not a paging cookie the service issued.`);
  }
  let inner: string;
  try {
    inner = decodeURIComponent(cookie);
  } catch {
    throw errors.badQuery(`The $skiptoken value '${token}' is not a paging cookie the service issued.`);
  }
  return { pageNumber: Number(pageNumber), lastId: LAST_ID.exec(inner)?.[1]?.toLowerCase() };
}

/**
 * Where the requested page starts in the sorted rows: just after the last row of the previous
 * page (as a paging cookie continues), or by page number when that row has gone since.
 */
export function pageStart(rows: readonly Row[], table: TableDef, position: PagingPosition | undefined, pageSize: number): number {
  if (!position) return 0;
  if (position.lastId !== undefined) {
    const index = rows.findIndex((row) => row[table.primaryIdAttribute] === position.lastId);
    if (index !== -1) return index + 1;
  }
  return Math.max(0, (position.pageNumber - 1) * pageSize);
}

/**
 * The `$skiptoken` for the page after one that ran from `first` to `last`, in the service's form:
 * `<cookie pagenumber="N" pagingcookie="<inner cookie, URL-encoded with lower-case hex>" istracking="False" />`
 * with the inner cookie naming the first and last primary keys in braces, upper-case.
 */
export function skipTokenAfter(table: TableDef, pageNumber: number, first: Row, last: Row): string {
  const id = (row: Row) => `{${String(row[table.primaryIdAttribute]).toUpperCase()}}`;
  const inner = `<cookie page="${pageNumber}"><${table.primaryIdAttribute} last="${id(last)}" first="${id(first)}" /></cookie>`;
  const encodedInner = encodeURIComponent(inner).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  return `<cookie pagenumber="${pageNumber + 1}" pagingcookie="${encodedInner}" istracking="False" />`;
}

/**
 * The `@odata.nextLink`: the request URL as sent, with its `$skiptoken` replaced. The token is
 * URL-encoded as the service does it (`=` and `/` left as they are).
 */
export function nextLink(origin: string, requestTarget: string, skipToken: string): string {
  const queryStart = requestTarget.indexOf('?');
  const path = queryStart === -1 ? requestTarget : requestTarget.slice(0, queryStart);
  const kept = queryStart === -1 ? [] : requestTarget.slice(queryStart + 1).split('&').filter((part) => part !== '' && !isSkipToken(part));
  const encoded = encodeURIComponent(skipToken).replace(/%3D/g, '=').replace(/%2F/g, '/');
  return `${origin}${path}?${[...kept, `$skiptoken=${encoded}`].join('&')}`;
}

function isSkipToken(part: string): boolean {
  const name = part.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(name) === '$skiptoken';
  } catch {
    return false;
  }
}
