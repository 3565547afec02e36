import type { Column } from '../../output/columns.js';
import type { CompareAnswer } from './run.js';

/** One line of the table view: a row one side does not see, or a column that differs. */
export interface DifferenceRow {
  row: string;
  id: string;
  column: string;
  first: string;
  second: string;
}

export function differenceRows(answer: CompareAnswer): DifferenceRow[] {
  const name = (ref: { id: string; name: string | null }) => ref.name ?? ref.id;
  return [
    ...answer.onlyFirst.map((ref) => ({ row: name(ref), id: ref.id, column: '(row)', first: 'sees it', second: 'does not' })),
    ...answer.onlySecond.map((ref) => ({ row: name(ref), id: ref.id, column: '(row)', first: 'does not', second: 'sees it' })),
    ...answer.columns.map((difference) => ({ row: name(difference), id: difference.id, column: difference.column, first: valueText(difference.first), second: valueText(difference.second) })),
  ];
}

export const DIFFERENCE_COLUMNS: readonly Column<DifferenceRow>[] = [
  { header: 'row', value: (row) => row.row, paint: (text, chalk) => chalk.bold(text), shrink: true },
  { header: 'column', value: (row) => row.column },
  { header: 'first', value: (row) => row.first, shrink: true },
  { header: 'second', value: (row) => row.second, shrink: true },
  { header: 'id', value: (row) => row.id, paint: (text, chalk) => chalk.dim(text) },
];

/** A value as the table shows it; an empty column says so. */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
