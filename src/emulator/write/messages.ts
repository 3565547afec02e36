import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';

export type WriteMessage = 'Create' | 'Update' | 'Delete' | 'CreateMultiple' | 'UpsertMultiple';

/**
 * Messages the service does not offer on some system tables: the privilege catalogue is read-only,
 * the organization row can be updated but not created or deleted, users are disabled rather than
 * deleted. CreateMultiple follows each table's declaration (a seed can turn it off), and so does
 * UpsertMultiple, which Microsoft documents as "available for tables that support CreateMultiple
 * and UpdateMultiple" (https://learn.microsoft.com/power-apps/developer/data-platform/upsertmultiple). A Map: a
 * seed may name a custom table `constructor`, which an object literal would claim to know.
 */
const UNSUPPORTED: ReadonlyMap<string, readonly WriteMessage[]> = new Map([
  ['privilege', ['Create', 'Update', 'Delete']],
  ['organization', ['Create', 'Delete']],
  ['systemuser', ['Delete']],
]);

export function requireMessageSupported(table: TableDef, message: WriteMessage): void {
  const unsupported =
    message === 'CreateMultiple' || message === 'UpsertMultiple'
      ? !table.supportsCreateMultiple
      : (UNSUPPORTED.get(table.logicalName)?.includes(message) ?? false);
  if (unsupported) throw errors.messageNotSupported(message, table.logicalName);
}
