import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/**
 * The audit columns of a new row (docs/dataverse-web-api.md §1.4): created and modified by the effective user,
 * on behalf of the impersonating caller (null without impersonation), now, with a new version.
 */
export function stampCreated(session: WriteSession, table: TableDef, row: Row): void {
  if (!table.attributes.has('createdby')) return;
  row.createdon = session.now;
  row.modifiedon = session.now;
  row.createdby = session.actingUser;
  row.modifiedby = session.actingUser;
  row.createdonbehalfby = session.onBehalfOf;
  row.modifiedonbehalfby = session.onBehalfOf;
  row.versionnumber = session.store.nextVersion();
}

/** The audit columns an update changes: modifiedby/modifiedonbehalfby/modifiedon and the version. */
export function stampModified(session: WriteSession, table: TableDef, row: Row): void {
  if (!table.attributes.has('modifiedby')) return;
  row.modifiedon = session.now;
  row.modifiedby = session.actingUser;
  row.modifiedonbehalfby = session.onBehalfOf;
  row.versionnumber = session.store.nextVersion();
}
