import { UsageError } from '../../../errors.js';
import type { BulkInput } from './bulk-input.js';
import { inShard, type Shard } from './bulk-flags.js';
import { describePosition, positionKindOf, type InputRow, type PositionKind } from './input-row.js';
import { CsvSyntaxError } from './readers/csv-rows.js';
import { RowChecker, type CheckedRow } from './row-check.js';
import type { RowUser, RowUsers } from './row-users.js';
import type { TableWithColumns } from './table-columns.js';

/** Problems named in the error; the rest are counted. */
const PROBLEMS_SHOWN = 5;

/** What the first pass over the input found: rows per user (of this shard), and the first rows of each for --dry-run. */
export interface InputCheck {
  rows: number;
  perUser: Map<RowUser, number>;
  firstRows: Map<RowUser, CheckedRow[]>;
}

/** The problems of an input: the first few by position kept, all counted. */
export class Problems {
  private readonly first: Array<{ position: number; text: string }> = [];
  count = 0;

  add(kind: PositionKind, position: number, problem: string): void {
    this.count++;
    const at = this.first.findIndex((item) => item.position > position);
    this.first.splice(at < 0 ? this.first.length : at, 0, { position, text: `${describePosition(kind, position)}: ${problem}.` });
    if (this.first.length > PROBLEMS_SHOWN) this.first.pop();
  }

  /** One error naming the first problems and how many in all (docs/bulk-create.md, "Checked before sending"). */
  error(label: string, sent: 'nothing' | 'stopped'): UsageError {
    const what = label === '-' ? 'stdin' : label;
    const head =
      sent === 'nothing'
        ? `${what} has ${this.count} ${this.count === 1 ? 'problem' : 'problems'}; nothing was sent.`
        : `${what} has a row dvas cannot send; dvas stopped reading there (the rows before it were sent).`;
    const more = this.count > this.first.length ? [`  … and ${this.count - this.first.length} more.`] : [];
    return new UsageError([head, ...this.first.map((item) => `  ${item.text}`), ...more].join('\n'), {
      hint: 'Fix the rows named and run the same command again.',
    });
  }
}

/** Rows read ahead while the table's columns are being fetched: enough to hide the wait, few enough to stay small. */
const READ_AHEAD = 20_000;

/**
 * The first pass (docs/bulk-create.md, "Checked before sending"): reads every row, checks it
 * against the table's columns and resolves its user (each distinct user once, looked up as soon
 * as it is met), keeping nothing of the rows but counts, so a million rows are checked in the
 * memory of one. While the table's columns are still on their way, rows are read and parsed
 * ahead (a bounded number), so the lookups and the reading overlap.
 */
export async function checkInput(
  input: BulkInput,
  options: { table: Promise<TableWithColumns>; asColumn: string; users: RowUsers; shard: Shard | undefined; keepFirst: number },
): Promise<InputCheck> {
  const kind = positionKindOf(input.format);
  const problems = new Problems();
  const perLabel = new Map<string | undefined, number>();
  const firstOfLabel = new Map<string, number>();
  const firstRows = new Map<string | undefined, CheckedRow[]>();
  let rows = 0;
  let checker: RowChecker | undefined;
  const ahead: InputRow[] = [];

  const take = (row: InputRow, rowChecker: RowChecker) => {
    if (row.cells && !rowChecker.csvHeaderChecked) for (const problem of rowChecker.checkHeader(row.cells.keys())) problems.add(kind, 1, problem);
    const checked = rowChecker.check(row);
    if (!checked.ok) return problems.add(kind, checked.position, checked.problem);
    const label = checked.row.user;
    if (label !== undefined && !firstOfLabel.has(label)) {
      firstOfLabel.set(label, row.position);
      void options.users.resolve(label);
    }
    if (!inShard(options.shard, row.ordinal)) return;
    rows++;
    perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
    const first = firstRows.get(label) ?? [];
    if (first.length < options.keepFirst) first.push(checked.row);
    firstRows.set(label, first);
  };
  const ready = async (): Promise<RowChecker> => {
    if (!checker) {
      const { columns } = await options.table;
      checker = new RowChecker(columns, options.asColumn, kind);
      for (const row of ahead.splice(0)) take(row, checker);
    }
    return checker;
  };

  let tableReady = false;
  options.table.then(
    () => (tableReady = true),
    () => (tableReady = true),
  );
  try {
    for await (const row of input.rows()) {
      if (!checker && !tableReady && ahead.length < READ_AHEAD) {
        ahead.push(row);
        // Its user can be looked up already, beside the table's lookups.
        const label = userLabel(row, options.asColumn);
        if (label !== undefined && !firstOfLabel.has(label)) void options.users.resolve(label);
        continue;
      }
      take(row, await ready());
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problems.add(kind, error.line, `${error.message.replace(/\.$/, '')}; the file cannot be read past it`);
  }
  await ready();

  const perUser = new Map<RowUser, number>();
  const firstRowsByUser = new Map<RowUser, CheckedRow[]>();
  for (const [label, count] of perLabel) {
    const resolved = await options.users.resolve(label);
    if ('problem' in resolved) {
      problems.add(kind, label === undefined ? 1 : (firstOfLabel.get(label) ?? 1), resolved.problem);
      continue;
    }
    perUser.set(resolved.user, count);
    firstRowsByUser.set(resolved.user, firstRows.get(label) ?? []);
  }
  // Users named only by rows of other shards must resolve too: every job checks the whole file.
  for (const [label, position] of firstOfLabel) {
    if (perLabel.has(label)) continue;
    const resolved = await options.users.resolve(label);
    if ('problem' in resolved) problems.add(kind, position, resolved.problem);
  }
  if (problems.count > 0) throw problems.error(input.label, 'nothing');
  return { rows, perUser, firstRows: firstRowsByUser };
}

/** The user a row names, read straight off the row (before it is checked): to look the user up early. */
function userLabel(row: InputRow, asColumn: string): string | undefined {
  const raw = row.cells ? row.cells.get(asColumn) : typeof row.value === 'object' && row.value !== null ? (row.value as Record<string, unknown>)[asColumn] : undefined;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}
