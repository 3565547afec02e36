import type { RequestContext } from '../http/context.js';
import { noContent } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import { requireAccess } from '../security/checks.js';
import { existingRow } from '../store/existing-row.js';
import { removeAllAssociations } from '../write/associations.js';
import { requireMessageSupported } from '../write/messages.js';
import { checkWritePreconditions } from '../write/preconditions.js';

/**
 * `DELETE <entityset>(<id>)`: 204, honouring If-Match; a missing row is 404 before any privilege
 * check, then Delete must reach the row. The row's N:N links go with it (a deleted role grants
 * nothing), in one transaction.
 */
export function deleteRow(ctx: RequestContext, table: TableDef, id: string): EmulatorResponse {
  requireMessageSupported(table, 'Delete');
  const { store } = ctx.core;
  const existing = existingRow(store, table, id);
  checkWritePreconditions(ctx.request.headers, table, id, existing);
  requireAccess(ctx.core.security, ctx.principal, 'Delete', table, existing);
  store.transaction(() => {
    removeAllAssociations(store, table, id);
    store.delete(table.logicalName, id);
  });
  return noContent();
}
