import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';

/**
 * Columns the platform computes from others: a person's `fullname` from first and last name
 * (contacts and users; "first last", the default full name format). Recomputed only when a write
 * touches one of its sources.
 */
export function applyDerivedColumns(table: TableDef, row: Row, changed: Row): void {
  if (table.primaryNameAttribute !== 'fullname' || !table.attributes.has('firstname') || !table.attributes.has('lastname')) return;
  if (!('firstname' in changed) && !('lastname' in changed)) return;
  row.fullname = [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
}
