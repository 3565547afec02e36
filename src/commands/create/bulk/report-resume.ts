import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../../../errors.js';
import type { ReportHeader } from './report-file.js';

/** What the report says of a position: nothing, sent without an outcome (in doubt), or its last outcome. */
export type Recorded = 'sent' | 'created' | 'existed' | 'failed' | undefined;

const CODES: Record<Exclude<Recorded, undefined>, number> = { sent: 1, created: 2, existed: 3, failed: 4 };
const NAMES: readonly Recorded[] = [undefined, 'sent', 'created', 'existed', 'failed'];

/**
 * A report read for --resume (docs/bulk-create.md, "Report and resume"): its header (the run id
 * that derives every key) and, per position, the last thing it recorded. A byte per position,
 * so the report of a million rows takes a megabyte. A last line cut short (the process killed
 * in the middle of a write) is ignored; any other line that cannot be read is refused.
 */
export class ResumeState {
  private statuses = new Uint8Array(1024);

  private constructor(readonly header: ReportHeader) {}

  static async read(path: string): Promise<ResumeState> {
    let state: ResumeState | undefined;
    let line = 0;
    let broken: number | undefined;
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    try {
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        if (broken !== undefined) throw damaged(path, broken);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          broken = line;
          continue;
        }
        if (!state) {
          if (!isHeader(value)) throw new UsageError(`${path} is not a dvas create report: its first line is not a report header.`);
          state = new ResumeState(value);
          continue;
        }
        state.take(value, () => damaged(path, line));
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot read the report ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`, { cause: error });
    }
    if (!state) throw new UsageError(`${path} is empty: there is no run to resume.`);
    return state;
  }

  get(position: number): Recorded {
    return NAMES[this.statuses[position] ?? 0];
  }

  private set(position: number, recorded: Exclude<Recorded, undefined>): void {
    if (position >= this.statuses.length) {
      let size = this.statuses.length;
      while (size <= position) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.statuses);
      this.statuses = grown;
    }
    const code = CODES[recorded];
    // A `sending` line after an outcome (the failed row sent again) puts the row back in doubt;
    // an outcome always wins over what came before it.
    this.statuses[position] = code;
  }

  private take(value: unknown, damagedError: () => UsageError): void {
    if (typeof value !== 'object' || value === null) throw damagedError();
    const line = value as Record<string, unknown>;
    if (Array.isArray(line.sending)) {
      for (const position of line.sending) if (Number.isInteger(position) && (position as number) > 0) this.set(position as number, 'sent');
      return;
    }
    const { position, status } = line;
    if (!Number.isInteger(position) || (position as number) < 1) throw damagedError();
    if (status === 'created' || status === 'existed' || status === 'failed') this.set(position as number, status);
    else throw damagedError();
  }
}

function damaged(path: string, line: number): UsageError {
  return new UsageError(`The report ${path} is damaged at line ${line}: dvas cannot tell what that run did.`);
}

function isHeader(value: unknown): value is ReportHeader {
  if (typeof value !== 'object' || value === null) return false;
  const header = value as Record<string, unknown>;
  return header.report === 'dvas-create' && header.version === 1 && typeof header.runId === 'string' && typeof header.entitySet === 'string';
}
