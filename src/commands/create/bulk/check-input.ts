import { UsageError } from '../../../errors.js';
import type { BulkInput } from './bulk-input.js';
import { inShard, type Shard } from './bulk-flags.js';
import { describePosition, positionKindOf } from './input-row.js';
import { CsvSyntaxError } from './readers/csv-rows.js';
import { RowChecker, type CheckedRow } from './row-check.js';
import type { RowUser, RowUsers } from './row-users.js';
import type { TableColumns } from './table-columns.js';

/** Problems named in the error; the rest are counted. */
const PROBLEMS_SHOWN = 5;

/** What the first pass over the input found: rows per user (of this shard), and the first rows of each for --dry-run. */
export interface InputCheck {
  rows: number;
  perUser: Map<RowUser, number>;
  firstRows: Map<RowUser, CheckedRow[]>;
}

/** The problems of an input, by position, the first few kept. */
export class Problems {
  readonly shown: string[] = [];
  count = 0;

  add(where: string, problem: string): void {
    this.count++;
    if (this.shown.length < PROBLEMS_SHOWN) this.shown.push(`${where}: ${problem}.`);
  }

  /** One error naming the first problems and how many in all (docs/bulk-create.md, "Checked before sending"). */
  error(label: string, sent: 'nothing' | 'stopped'): UsageError {
    const what = label === '-' ? 'stdin' : label === '--data' ? '--data' : label;
    const head =
      sent === 'nothing'
        ? `${what} has ${this.count} ${this.count === 1 ? 'problem' : 'problems'}; nothing was sent.`
        : `${what} has a row dvas cannot send; dvas stopped there (the rows before it were sent).`;
    const more = this.count > this.shown.length ? [`  … and ${this.count - this.shown.length} more.`] : [];
    return new UsageError([head, ...this.shown.map((line) => `  ${line}`), ...more].join('\n'), {
      hint: 'Fix the rows named and run the same command again.',
    });
  }
}

/**
 * The first pass (docs/bulk-create.md, "Checked before sending"): reads every row, checks it
 * against the table's columns and resolves its user (each distinct user once), keeping nothing
 * of the rows but counts, so a million rows are checked in the memory of one.
 */
export async function checkInput(
  input: BulkInput,
  options: { table: TableColumns; asColumn: string; users: RowUsers; shard: Shard | undefined; keepFirst: number },
): Promise<InputCheck> {
  const kind = positionKindOf(input.format);
  const checker = new RowChecker(options.table, options.asColumn, kind);
  const problems = new Problems();
  const result: InputCheck = { rows: 0, perUser: new Map(), firstRows: new Map() };
  try {
    for await (const row of input.rows()) {
      if (row.cells && !checker.csvHeaderChecked) for (const problem of checker.checkHeader(row.cells.keys())) problems.add(describePosition(kind, 1), problem);
      const checked = checker.check(row);
      if (!checked.ok) {
        problems.add(describePosition(kind, checked.position), checked.problem);
        continue;
      }
      const resolved = await options.users.resolve(checked.row.user);
      if ('problem' in resolved) {
        problems.add(describePosition(kind, row.position), resolved.problem);
        continue;
      }
      if (!inShard(options.shard, row.ordinal)) continue;
      result.rows++;
      result.perUser.set(resolved.user, (result.perUser.get(resolved.user) ?? 0) + 1);
      const first = result.firstRows.get(resolved.user) ?? [];
      if (first.length < options.keepFirst) {
        first.push(checked.row);
        result.firstRows.set(resolved.user, first);
      }
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problems.add(describePosition(kind, error.line), `${error.message.replace(/\.$/, '')}; the file cannot be read past it`);
  }
  if (problems.count > 0) throw problems.error(input.label, 'nothing');
  return result;
}
