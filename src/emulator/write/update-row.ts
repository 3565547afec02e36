import type { TableDef } from '../metadata/types.js';
import type { EntityPayload } from '../odata/payload.js';
import type { Row } from '../store/types.js';
import { stampModified } from './audit.js';
import { applyDerivedColumns } from './derived-columns.js';
import { applyLookups, loadBoundRows } from './lookups.js';
import { assignBusinessUnit, assignOwner, isCurrentOwner, requireOwnerCanRead } from './ownership.js';
import type { WriteSession } from './session.js';
import { claimKeys } from './unique-keys.js';

/**
 * Updates an existing row from a validated payload (docs/dataverse-web-api.md §1.4, §4.1): bound rows must exist
 * (404), then Write on the row, Append/AppendTo for lookups, and Assign plus the new owner's Read
 * for a change of owner. modifiedby is the effective user, modifiedonbehalfby the impersonating
 * caller. The stored row is replaced, never mutated (the store's undo log keeps the old one).
 */
export function updateFromPayload(session: WriteSession, table: TableDef, existing: Row, payload: EntityPayload): Row {
  const bound = loadBoundRows(session, payload.binds);
  session.require('Write', table, existing);

  const row: Row = { ...existing, ...payload.values };
  const owner = applyLookups(session, table, row, bound, existing);
  if (table.ownershipType === 'BusinessOwned' && bound.some(({ bind }) => bind.attribute.logicalName === 'businessunitid')) {
    assignBusinessUnit(session, table, row);
  }
  if (owner && !isCurrentOwner(owner, existing.ownerid)) {
    session.require('Assign', table, existing);
    requireOwnerCanRead(session.ctx.core.security, table, owner);
    assignOwner(session, row, owner);
  }
  applyDerivedColumns(table, row, payload.values);
  stampModified(session, table, row);
  const id = String(existing[table.primaryIdAttribute]);
  claimKeys(session, table, id, row, existing);
  session.store.replace(table.logicalName, id, row);
  return row;
}
