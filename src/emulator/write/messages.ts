import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';

export type WriteMessage = 'Create' | 'Update' | 'Delete' | 'CreateMultiple' | 'UpdateMultiple' | 'UpsertMultiple';

/** The single messages a bulk one runs for each Target. */
const RUNS: Readonly<Record<WriteMessage, readonly WriteMessage[]>> = {
  Create: ['Create'],
  Update: ['Update'],
  Delete: ['Delete'],
  CreateMultiple: ['Create'],
  UpdateMultiple: ['Update'],
  UpsertMultiple: ['Create', 'Update'],
};

/**
 * Messages the service does not offer on some system tables: the privilege catalogue is read-only,
 * the organization row can be updated but not created or deleted, users are disabled rather than
 * deleted. The bulk messages follow each table's declaration (a
 * seed can turn CreateMultiple off) and the single messages they run: UpsertMultiple is
 * "available for tables that support CreateMultiple and UpdateMultiple"
 * (https://learn.microsoft.com/power-apps/developer/data-platform/upsertmultiple). A Map: a
 * seed may name a custom table `constructor`, which an object literal would claim to know.
 */
const UNSUPPORTED: ReadonlyMap<string, readonly WriteMessage[]> = new Map([
  ['privilege', ['Create', 'Update', 'Delete']],
  ['organization', ['Create', 'Delete']],
  ['systemuser', ['Delete']],
]);

export function requireMessageSupported(table: TableDef, message: WriteMessage): void {
  const bulk = message.endsWith('Multiple');
  const missing = UNSUPPORTED.get(table.logicalName) ?? [];
  const unsupported = (bulk && !table.supportsCreateMultiple) || RUNS[message].some((single) => missing.includes(single));
  if (unsupported) throw errors.messageNotSupported(message, table.logicalName);
}
