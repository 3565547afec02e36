import type { DataverseRecord } from '../../../dataverse/odata.js';
import type { RowUser } from './row-users.js';

/** A checked row on its way to the service: its key is fixed (given, or derived from the run id). */
export interface PendingRow {
  position: number;
  id: string;
  /** Whether dvas derived the id (then a row found under it is this run's: `created`), or the input gave it (`existed`). */
  derived: boolean;
  /** The body: the row's columns with its key (and, for CreateMultiple, its @odata.type added when sent). */
  record: DataverseRecord;
  user: RowUser;
}

/** Rows of one user sent in one request; bisected, or cut down to the rows not found, as failures require. */
export interface Batch {
  rows: PendingRow[];
  /** Ambiguous failures (and duplicate-key refusals) met so far by these rows. */
  attempts: number;
  /** 429s met in a row. */
  throttles: number;
  /** The user's first row, read back before the user's other rows go (docs/bulk-create.md, "Impersonation checked early"). */
  probe: boolean;
  /** The `sending` line of these rows, written when they were first queued: awaited before they leave. */
  journaled?: Promise<void>;
}
