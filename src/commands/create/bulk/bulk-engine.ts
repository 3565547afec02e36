import type { Clock } from '../../../clock/clock.js';
import type { DataverseClient } from '../../../dataverse/client.js';
import { isDuplicateKey } from '../../../dataverse/ambiguous-failure.js';
import { DataverseApiError } from '../../../dataverse/errors.js';
import { Concurrency } from './concurrency.js';
import { existingIds } from './existing-ids.js';
import { failureKind, isExecutionTimeLimit, rowFailure } from './failure-kind.js';
import type { Batch, PendingRow } from './pending-row.js';
import type { RowOutcome, RunJournal } from './report-file.js';
import { sendRows, type SendMode, type TableTarget } from './send-rows.js';
import { count } from './tally.js';
import type { UserLane } from './user-lane.js';

/** Sends of the same rows that may each have been carried out, before they are reported failed. */
const MAX_IN_DOUBT = 6;
/** 429s one batch may meet in a row before its rows are reported failed (each waits its Retry-After). */
const MAX_THROTTLES = 30;

export interface EngineOptions {
  table: TableTarget & { primaryId: string };
  batchSize: number;
  /** --concurrency, or undefined to follow the service's hint. */
  concurrency: number | undefined;
  initialHint: number | undefined;
  continueOnError: boolean;
  clock: Clock;
  journal: RunJournal;
  /** The signed-in identity, with the usual retries: finds which ids exist. */
  caller: DataverseClient;
  /** Told of each row's outcome (progress). */
  onOutcome?: (outcome: RowOutcome) => void;
  /** Told once when a table has no CreateMultiple. */
  onFallback?: () => void;
  /** The user's first row was created: checks it was created as them; throws to stop the run (exit 8). */
  checkProbe(lane: UserLane, row: PendingRow): Promise<void>;
  /** A user may not create rows here: returns how to say so, once (who lacks what). */
  explainUserFailure(lane: UserLane, error: unknown): Promise<{ code: string | null; message: string }>;
}

/**
 * Sends checked rows to the service, each exactly once (docs/bulk-create.md): batches of one
 * user, as many in flight as the concurrency allows, 429s waited out together, requests that may
 * have been carried out checked before their rows go again, failing batches bisected. Rows come in
 * through `add`, which waits while enough batches are queued (back-pressure on the reader).
 */
export class BulkEngine {
  private readonly ready: Batch[] = [];
  private inFlight = 0;
  /** Report writes of answered batches still going on. */
  private settling = 0;
  /** Batches held back until their user's first row checks out (docs/bulk-create.md). */
  private held = 0;
  private mode: SendMode = 'create-multiple';
  private notBefore = 0;
  private timer = false;
  private waiters: Array<() => void> = [];
  private readonly concurrency: Concurrency;
  /** Set when the run stops sending: a failed row (without --continue-on-error), Ctrl+C, a fatal error. */
  stopping = false;
  /** The error that ends the run once the requests in flight are done (exit 8, an auth failure…). */
  fatal: unknown;
  /** A row failed. */
  anyFailed = false;

  constructor(private readonly options: EngineOptions) {
    this.concurrency = new Concurrency(options.concurrency, () => options.clock.now());
    this.concurrency.seeHint(options.initialHint);
  }

  get limit(): number {
    return this.concurrency.limit;
  }

  get concurrencySource(): string {
    return this.concurrency.source;
  }

  /** Takes one row; resolves once the queue has room for more. */
  async add(lane: UserLane, row: PendingRow): Promise<void> {
    if (this.stopping) return;
    this.lanes.add(lane);
    lane.counts.rows++;
    if (lane.failure) {
      await this.settle(lane, [{ position: row.position, id: row.id, user: lane.label, status: 'failed', ...lane.failure }]);
      return;
    }
    if (lane.state === 'probe') {
      lane.state = 'probing';
      // A user's first row goes ahead of the queue: the rest of the user's rows wait for it.
      this.queue({ rows: [row], attempts: 0, throttles: 0, probe: true }, lane, true);
    } else {
      lane.partial.push(row);
      if (lane.partial.length >= this.batchSizeNow) this.queue(this.takePartial(lane), lane);
    }
    this.pump();
    await this.until(() => this.stopping || this.queued() < Math.max(4, this.limit * 2));
  }

  /** Sends what is left in every lane and waits for every request; the run's outcome is then known. */
  async finish(): Promise<void> {
    if (!this.stopping) for (const lane of this.lanes) if (lane.partial.length > 0) this.queue(this.takePartial(lane), lane);
    this.pump();
    await this.until(() => this.inFlight === 0 && this.settling === 0 && (this.stopping || (this.ready.length === 0 && this.heldCount() === 0)));
  }

  /** Stop sending (Ctrl+C, a failure): what is in flight finishes and is reported; nothing new leaves. */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  private get batchSizeNow(): number {
    return this.mode === 'single' ? 1 : this.options.batchSize;
  }

  private takePartial(lane: UserLane): Batch {
    const rows = lane.partial;
    lane.partial = [];
    return { rows, attempts: 0, throttles: 0, probe: false };
  }

  private readonly laneOf = new WeakMap<Batch, UserLane>();
  private readonly lanes = new Set<UserLane>();

  private queue(batch: Batch, lane: UserLane, front = false): void {
    this.laneOf.set(batch, lane);
    // Journalled when queued, so the write is done long before the batch leaves: a row journalled
    // but never sent is only looked for on --resume, and sent then.
    batch.journaled ??= this.options.journal.sending(batch.rows.map((row) => row.position));
    batch.journaled.catch(() => undefined);
    if (!batch.probe && lane.state === 'probing') {
      lane.held.push(batch);
      this.held++;
    }
    else if (front) this.ready.unshift(batch);
    else this.ready.push(batch);
    this.wake();
  }

  /** Batches waiting or in flight: what back-pressure weighs. */
  private queued(): number {
    return this.ready.length + this.inFlight + this.heldCount();
  }

  private heldCount(): number {
    return this.held;
  }

  /** Starts every batch the concurrency and the shared "not before" time allow. */
  private pump(): void {
    while (!this.stopping && this.ready.length > 0 && this.inFlight < this.limit) {
      const wait = this.notBefore - this.options.clock.now();
      if (wait > 0) {
        if (!this.timer) {
          this.timer = true;
          void this.options.clock.sleep(wait).then(() => {
            this.timer = false;
            this.pump();
          });
        }
        return;
      }
      const batch = this.ready.shift();
      if (!batch) return;
      this.inFlight++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.wake();
        this.pump();
      };
      void this.run(batch, release)
        .catch((error: unknown) => this.fail(error))
        .finally(release);
    }
  }

  /** One attempt at a batch; `release` frees its place in flight early (its answer is in, only the report lines are left to write). */
  private async run(batch: Batch, release: () => void): Promise<void> {
    const lane = this.lane(batch);
    const { table } = this.options;
    if (this.mode === 'single' && batch.rows.length > 1) {
      for (const row of [...batch.rows].reverse()) this.queue({ rows: [row], attempts: batch.attempts, throttles: 0, probe: false, journaled: batch.journaled }, lane, true);
      return;
    }
    await batch.journaled;
    let error: unknown;
    try {
      this.concurrency.seeHint(await sendRows(lane.sender, table, this.mode, batch.rows));
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) {
      const settled = this.settle(lane, batch.rows.map((row) => this.outcome(lane, row, 'created')));
      // The next batch need not wait for this one's report lines to be written.
      if (!batch.probe) release();
      await settled;
      if (batch.probe) await this.probed(lane, batch);
      return;
    }
    await this.failed(lane, batch, error);
  }

  private async failed(lane: UserLane, batch: Batch, error: unknown): Promise<void> {
    switch (failureKind(error)) {
      case 'throttled': {
        const waitMs = error instanceof DataverseApiError && error.retryAfterMs !== undefined ? error.retryAfterMs : 2 ** Math.min(batch.throttles, 5) * 1000;
        this.notBefore = Math.max(this.notBefore, this.options.clock.now() + waitMs);
        if (isExecutionTimeLimit(error)) this.concurrency.lowerForExecutionTime();
        if (++batch.throttles > MAX_THROTTLES) return this.rowsFailed(lane, batch, error);
        return this.again(lane, batch);
      }
      case 'in-doubt':
        return this.lookForRows(lane, batch, error);
      case 'not-sent':
        if (++batch.attempts > MAX_IN_DOUBT) return this.rowsFailed(lane, batch, error);
        await this.backOff(batch.attempts);
        return this.again(lane, batch);
      case 'unsupported':
        if (this.mode === 'create-multiple') {
          this.mode = 'single';
          this.options.onFallback?.();
          return this.again(lane, batch);
        }
        return this.rowsFailed(lane, batch, error);
      case 'user': {
        // Requests of the user in flight together all meet it: explained once, by the first.
        lane.explaining ??= this.options.explainUserFailure(lane, error);
        const failure = await lane.explaining;
        if (lane.failure) {
          await this.settle(lane, batch.rows.map((row) => ({ position: row.position, id: row.id, user: lane.label, status: 'failed' as const, ...failure })));
          return;
        }
        lane.failure = failure;
        const rows = [...batch.rows, ...lane.partial, ...lane.held.flatMap((held) => held.rows)];
        for (const queued of this.ready.filter((candidate) => this.lane(candidate) === lane)) rows.push(...queued.rows);
        this.ready.splice(0, this.ready.length, ...this.ready.filter((candidate) => this.lane(candidate) !== lane));
        lane.partial = [];
        this.held -= lane.held.length;
        lane.held = [];
        lane.state = 'open';
        this.anyFailed = true;
        await this.settle(lane, rows.map((row) => ({ position: row.position, id: row.id, user: lane.label, status: 'failed' as const, ...failure })));
        if (!this.options.continueOnError) this.stop();
        return;
      }
      case 'rows':
        if (batch.rows.length > 1) return this.bisect(lane, batch);
        return this.rowsFailed(lane, batch, error);
      case 'fatal':
        throw error;
    }
  }

  /**
   * After a send that may have been carried out (or a duplicate key): which of the rows exist?
   * Those are done; the rest go again (or, once the run is stopping, stay unsent for --resume).
   */
  private async lookForRows(lane: UserLane, batch: Batch, error: unknown): Promise<void> {
    const { caller, table } = this.options;
    batch.attempts++;
    let found: Set<string>;
    try {
      found = await existingIds(caller, table.entitySet, table.primaryId, batch.rows.map((row) => row.id));
    } catch (checkError) {
      if (failureKind(checkError) === 'fatal' && !(checkError instanceof DataverseApiError)) throw checkError;
      if (batch.attempts > MAX_IN_DOUBT) return this.rowsFailed(lane, batch, error);
      await this.backOff(batch.attempts);
      return this.again(lane, batch);
    }
    const there = batch.rows.filter((row) => found.has(row.id));
    const rest = batch.rows.filter((row) => !found.has(row.id));
    await this.settle(lane, there.map((row) => this.outcome(lane, row, row.derived ? 'created' : 'existed')));
    if (rest.length === 0) {
      if (batch.probe && there[0]) await this.probed(lane, batch);
      return;
    }
    const remaining: Batch = { rows: rest, attempts: batch.attempts, throttles: 0, probe: batch.probe, journaled: batch.journaled };
    if (batch.attempts > MAX_IN_DOUBT) return this.rowsFailed(lane, remaining, error);
    // A duplicate key with none of the ids there: two rows of the batch give one key, or another
    // writer took it. Bisecting isolates the row the service refuses.
    if (there.length === 0 && isDuplicateKey(error)) {
      if (remaining.rows.length === 1) return this.rowsFailed(lane, remaining, error);
      return this.bisect(lane, remaining);
    }
    await this.backOff(batch.attempts);
    return this.again(lane, remaining);
  }

  /** CreateMultiple is all or nothing: each half goes alone, until the failing rows stand alone. */
  private bisect(lane: UserLane, batch: Batch): void {
    if (this.stopping) return;
    const half = Math.ceil(batch.rows.length / 2);
    this.queue({ rows: batch.rows.slice(half), attempts: batch.attempts, throttles: 0, probe: false, journaled: batch.journaled }, lane, true);
    this.queue({ rows: batch.rows.slice(0, half), attempts: batch.attempts, throttles: 0, probe: false, journaled: batch.journaled }, lane, true);
  }

  /** The user's first row is in: check it was created as them, then let their other rows go. */
  private async probed(lane: UserLane, batch: Batch): Promise<void> {
    const row = batch.rows[0];
    if (row) await this.options.checkProbe(lane, row);
    lane.state = 'open';
    for (const held of lane.held) this.ready.push(held);
    this.held -= lane.held.length;
    lane.held = [];
    this.wake();
  }

  private async rowsFailed(lane: UserLane, batch: Batch, error: unknown): Promise<void> {
    const failure = rowFailure(error);
    this.anyFailed = true;
    await this.settle(lane, batch.rows.map((row) => ({ position: row.position, id: row.id, user: lane.label, status: 'failed' as const, ...failure })));
    if (batch.probe) this.nextProbe(lane);
    if (!this.options.continueOnError) this.stop();
  }

  /** The probe row failed on its own: the next row of the user is the one read back. */
  private nextProbe(lane: UserLane): void {
    const source = lane.held[0];
    const row = source ? source.rows.shift() : lane.partial.shift();
    if (source && source.rows.length === 0) {
      lane.held.shift();
      this.held--;
    }
    if (!row) {
      lane.state = 'probe';
      return;
    }
    this.queue({ rows: [row], attempts: 0, throttles: 0, probe: true }, lane, true);
  }

  private again(lane: UserLane, batch: Batch): void {
    if (this.stopping) return;
    this.queue(batch, lane, true);
  }

  private async backOff(attempt: number): Promise<void> {
    await this.options.clock.sleep(Math.min(250 * 2 ** (attempt - 1), 5_000));
  }

  private outcome(lane: UserLane, row: PendingRow, status: 'created' | 'existed'): RowOutcome {
    return { position: row.position, id: row.id, user: lane.label, status };
  }

  private async settle(lane: UserLane, outcomes: RowOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      count(lane.counts, outcome.status);
      this.options.onOutcome?.(outcome);
    }
    this.settling++;
    try {
      await this.options.journal.outcomes(outcomes);
    } finally {
      this.settling--;
      this.wake();
    }
  }

  private lane(batch: Batch): UserLane {
    const lane = this.laneOf.get(batch);
    if (!lane) throw new Error('Internal: a batch without its user.');
    return lane;
  }

  private fail(error: unknown): void {
    this.fatal ??= error;
    this.stop();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
