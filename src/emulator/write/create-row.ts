import { errors } from '../http/errors.js';
import { newGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import type { EntityPayload } from '../odata/payload.js';
import type { Row } from '../store/types.js';
import { stampCreated } from './audit.js';
import { applyDerivedColumns } from './derived-columns.js';
import { applyLookups, loadBoundRows } from './lookups.js';
import { assignBusinessUnit, assignOwner, isCurrentOwner, requireOwnerCanRead } from './ownership.js';
import type { WriteSession } from './session.js';
import { claimKeys } from './unique-keys.js';

/**
 * Creates one row from a validated payload as the session's user (docs/dataverse-web-api.md §4.1, §1.4):
 * created and owned by the effective user, on behalf of an impersonating caller. Checks in the
 * service's order: the key is free (412), bound rows exist (404), then privileges (403): Create;
 * Append/AppendTo for bound lookups; Assign and the new owner's Read when the owner is someone else.
 *
 * `id` is the key from an upsert's URL; otherwise the body's key or a new one. The payload's
 * values object becomes the stored row, so a 1,000-row CreateMultiple copies nothing.
 */
export function insertFromPayload(session: WriteSession, table: TableDef, payload: EntityPayload, id: string = payload.id ?? newGuid()): Row {
  if (session.store.get(table.logicalName, id)) throw errors.duplicateKey();
  const bound = loadBoundRows(session, payload.binds);
  session.require('Create', table);

  const row = payload.values;
  row[table.primaryIdAttribute] = id;
  stampCreated(session, table, row);
  if (table.ownershipType === 'UserOwned') {
    assignOwner(session, row, session.actingUser);
    row.statecode ??= 0;
    row.statuscode ??= 1;
  }
  const owner = applyLookups(session, table, row, bound, row);
  if (table.ownershipType === 'BusinessOwned') assignBusinessUnit(session, table, row);
  if (owner && !isCurrentOwner(owner, row.ownerid)) {
    session.require('Assign', table, row);
    requireOwnerCanRead(session.ctx.core.security, table, owner);
    assignOwner(session, row, owner);
  }
  applyDerivedColumns(table, row, row);
  claimKeys(session, table, id, row);
  session.store.insert(table.logicalName, id, row);
  return row;
}
