import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';

/**
 * Conditional writes (docs/dataverse-web-api.md §4.1, perform-conditional-operations): `If-Match: *` allows only
 * an update (a missing row is 404), `If-Match: W/"<version>"` only while the row still has that
 * version (412 otherwise), `If-None-Match: *` only a create (an existing row is 412). Clients send
 * `If-None-Match: null` on every request, as the docs recommend: it means nothing.
 */
export function checkWritePreconditions(
  headers: Readonly<Record<string, string | undefined>>,
  table: TableDef,
  id: string,
  existing: Row | undefined,
): void {
  const ifNoneMatch = headers['if-none-match']?.trim();
  if (ifNoneMatch === '*' && existing) throw errors.duplicateKey();
  const ifMatch = headers['if-match']?.trim();
  if (!ifMatch) return;
  if (!existing) throw errors.rowNotFound(table.logicalName, id);
  if (ifMatch === '*') return;
  const current = String(existing.versionnumber);
  if (!ifMatch.split(',').some((tag) => entityTagValue(tag) === current)) throw errors.versionMismatch();
}

/** `W/"123"` and `"123"` both name version 123. */
function entityTagValue(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
