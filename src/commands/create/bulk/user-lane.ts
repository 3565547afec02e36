import type { DataverseClient } from '../../../dataverse/client.js';
import type { DataverseSession } from '../../../impersonation/session.js';
import type { Batch, PendingRow } from './pending-row.js';
import type { RowUser } from './row-users.js';
import { emptyCounts, type Counts } from './tally.js';

/**
 * Where a user's first row stands (docs/bulk-create.md, "Impersonation checked early"): `probe`
 * until one is sent, `probing` while it is in flight and read back, then `open`. The signed-in
 * identity's rows start open: there is no caller header to check.
 */
export type LaneState = 'probe' | 'probing' | 'open';

/** Why every row of a user fails without being sent (a privilege the user lacks for the table). */
export interface LaneFailure {
  code: string | null;
  message: string;
}

/** One user's rows: its clients, the batch being filled, batches held back until its first row checks out, its counts. */
export class UserLane {
  state: LaneState;
  failure: LaneFailure | undefined;
  /** The explanation of the user's failure, asked for once. */
  explaining: Promise<LaneFailure> | undefined;
  partial: PendingRow[] = [];
  held: Batch[] = [];
  readonly counts: Counts = emptyCounts();

  constructor(
    readonly user: RowUser,
    /** Sends this user's rows, with no retries of its own: the engine decides what a failure means. */
    readonly sender: DataverseClient,
    /** Reads as this user and as the signed-in identity (read-back, explaining a denial). */
    readonly session: DataverseSession,
  ) {
    this.state = user.actingAs ? 'probe' : 'open';
  }

  /** The user as the report names it: null for the signed-in identity. */
  get label(): string | null {
    return this.user.label ?? null;
  }
}
