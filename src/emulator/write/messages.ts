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
 * deleted, system jobs are created by the platform only ("Creating system jobs with code is not
 * supported", asynchronous-service) and a bulk delete operation offers Retrieve, RetrieveMultiple
 * and Delete only (its table reference). The bulk messages follow each table's declaration (a
 * seed can turn CreateMultiple off) and the single messages they run: UpsertMultiple is
 * "available for tables that support CreateMultiple and UpdateMultiple"
 * (https://learn.microsoft.com/power-apps/developer/data-platform/upsertmultiple). A Map: a
 * seed may name a custom table `constructor`, which an object literal would claim to know.
 */
const UNSUPPORTED: ReadonlyMap<string, readonly WriteMessage[]> = new Map([
  ['privilege', ['Create', 'Update', 'Delete']],
  ['organization', ['Create', 'Delete']],
  ['systemuser', ['Delete']],
  ['asyncoperation', ['Create']],
  ['bulkdeleteoperation', ['Create', 'Update']],
]);

/**
 * Messages the service offers that the emulator does not carry out: updating a system job is how
 * a client cancels, pauses or resumes it (statecode/statuscode/postponeuntil only), and the
 * emulator's jobs run to their end.
 */
const NOT_EMULATED: ReadonlyMap<string, { message: WriteMessage; what: string }> = new Map([
  ['asyncoperation', { message: 'Update', what: 'updating a system job (asyncoperation) to cancel, pause or resume it' }],
]);

export function requireMessageSupported(table: TableDef, message: WriteMessage): void {
  const bulk = message.endsWith('Multiple');
  const missing = UNSUPPORTED.get(table.logicalName) ?? [];
  const unsupported = (bulk && !table.supportsCreateMultiple) || RUNS[message].some((single) => missing.includes(single));
  if (unsupported) throw errors.messageNotSupported(message, table.logicalName);
  const notEmulated = NOT_EMULATED.get(table.logicalName);
  if (notEmulated?.message === message) throw errors.notEmulated(notEmulated.what);
}
