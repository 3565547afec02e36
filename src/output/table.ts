import type { ChalkInstance } from 'chalk';
import { cellText, singleLine, type Column } from './columns.js';

/** Display width in code points: good for the Latin, Greek and Cyrillic names Dataverse mostly holds. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

const GAP = '  ';

/**
 * A table for a terminal: upper-case headers, columns aligned, colour where the column asks for it.
 * Off a terminal (`-o table` into a pipe) it prints rows as tab-separated fields with no header and no
 * colour, as gh does, so `cut -f2` and `awk -F'\t'` work.
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], terminal: { isTTY: boolean; chalk: ChalkInstance }): string {
  const cells = rows.map((row) => columns.map((column) => singleLine(cellText(column.value(row)))));
  if (!terminal.isTTY) return cells.map((line) => `${line.join('\t')}\n`).join('');
  if (rows.length === 0) return '';
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = columns.map((_, index) => Math.max(width(headers[index] ?? ''), ...cells.map((line) => width(line[index] ?? ''))));
  const last = columns.length - 1;
  const layout = (texts: readonly string[], paint: (text: string, index: number) => string) =>
    texts.map((text, index) => paint(index === last ? text : pad(text, widths[index] ?? 0), index)).join(GAP).trimEnd();
  const headerLine = layout(headers, (text) => terminal.chalk.bold(text));
  const lines = cells.map((line, rowIndex) =>
    layout(line, (text, index) => {
      const paint = columns[index]?.paint;
      const row = rows[rowIndex];
      return paint && row !== undefined ? paint(text, terminal.chalk, row) : text;
    }),
  );
  return [headerLine, ...lines].map((line) => `${line}\n`).join('');
}

/**
 * One record as label/value lines: `name  dev` on a terminal (labels dimmed), `name<TAB>dev` off it.
 */
export function renderRecordTable<Row>(row: Row, fields: readonly Column<Row>[], terminal: { isTTY: boolean; chalk: ChalkInstance }): string {
  const pairs = fields.map((field) => [singleLine(field.header), singleLine(cellText(field.value(row))), field] as const);
  if (!terminal.isTTY) return pairs.map(([label, value]) => `${label}\t${value}\n`).join('');
  const labelWidth = Math.max(0, ...pairs.map(([label]) => width(label)));
  return pairs
    .map(([label, value, field]) => {
      const painted = field.paint ? field.paint(value, terminal.chalk, row) : value;
      return `${terminal.chalk.dim(pad(label, labelWidth))}${GAP}${painted}`.trimEnd() + '\n';
    })
    .join('');
}
