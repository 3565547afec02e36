import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../../../errors.js';
import type { PositionKind } from './input-row.js';

/** The report's first line (schemas/create-bulk.schema.json, $defs/reportHeader). */
export interface ReportHeader {
  report: 'dvas-create';
  version: 1;
  runId: string;
  table: string;
  entitySet: string;
  primaryId: string;
  positions: PositionKind;
  shard: string | null;
  input: string;
  startedAt: string;
}

export type RowStatus = 'created' | 'existed' | 'failed';

/** A row's final status, as a report line says it ($defs/reportRow). */
export interface RowOutcome {
  position: number;
  id: string | null;
  user: string | null;
  status: RowStatus;
  code?: string | null;
  message?: string;
}

/** Where the run writes what it does: the --report file, or nowhere. */
export interface RunJournal {
  /** Written before the request carrying these rows leaves. */
  sending(positions: readonly number[]): Promise<void>;
  outcomes(rows: readonly RowOutcome[]): Promise<void>;
  close(): Promise<void>;
}

export const NO_JOURNAL: RunJournal = {
  sending: async () => undefined,
  outcomes: async () => undefined,
  close: async () => undefined,
};

/**
 * The --report file (docs/bulk-create.md, "Report and resume"), appended as the run goes. Each
 * call is one write of whole lines, in the order called (writes are chained): a `sending` line is
 * in the file before its request leaves, so after a kill -9 --resume knows what may have been
 * sent. No fsync: the lines are in the operating system's hands once written, which survives the
 * process dying; a machine that loses power may lose the last lines, and --resume then sends those
 * rows again under the same keys, which the service refuses as duplicates and dvas finds.
 */
export class ReportFile implements RunJournal {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** A new report: refuses a file that exists (its run would be mixed up with this one). */
  static async create(path: string, header: ReportHeader): Promise<ReportFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        throw new UsageError(`The report ${path} exists already.`, { hint: `Continue that run with --resume ${path}, or give --report a new file.`, cause });
      }
      throw new UsageError(`Cannot write the report ${path} (${code ?? 'unwritable'}).`, { cause });
    }
    const file = new ReportFile(handle, path);
    await file.write(`${JSON.stringify(header)}\n`);
    return file;
  }

  /** The report of the run being resumed, to append to. */
  static async append(path: string): Promise<ReportFile> {
    try {
      return new ReportFile(await open(path, 'a'), path);
    } catch (cause) {
      throw new UsageError(`Cannot write the report ${path} (${(cause as NodeJS.ErrnoException).code ?? 'unwritable'}).`, { cause });
    }
  }

  sending(positions: readonly number[]): Promise<void> {
    return this.write(`{"sending":[${positions.join(',')}]}\n`);
  }

  outcomes(rows: readonly RowOutcome[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    let text = '';
    for (const row of rows) text += outcomeLine(row);
    return this.write(text);
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }

  private write(text: string): Promise<void> {
    const next = this.chain.then(async () => {
      await this.handle.write(text);
    });
    // A failed write fails its caller; the chain goes on for the next one.
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/**
 * One outcome as its report line: JSON.stringify's own output for a failure, and for the common
 * case (created or found, a GUID id) the same text put together without it, which a run of a
 * million rows writes a million times.
 */
export function outcomeLine(row: RowOutcome): string {
  if (row.status === 'failed' || row.id === null || !/^[0-9a-f-]{36}$/.test(row.id)) return `${JSON.stringify(row)}\n`;
  return `{"position":${row.position},"id":"${row.id}","user":${row.user === null ? 'null' : JSON.stringify(row.user)},"status":"${row.status}"}\n`;
}
