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

/** The narrowest a shrinkable column is cut to: enough to recognise a name. */
const MIN_SHRUNK_WIDTH = 8;

/**
 * Column widths that fit `available` characters when the terminal is narrower than the table:
 * the widest shrinkable column loses a character at a time until the table fits or every
 * shrinkable column is at its minimum (then the terminal wraps, as it would have anyway).
 */
export function fitWidths(widths: readonly number[], shrinkable: readonly boolean[], available: number | undefined): number[] {
  const fitted = [...widths];
  if (available === undefined) return fitted;
  const total = () => fitted.reduce((sum, value) => sum + value, 0) + GAP.length * (fitted.length - 1);
  while (total() > available) {
    let widest = -1;
    fitted.forEach((value, index) => {
      if (shrinkable[index] && value > MIN_SHRUNK_WIDTH && (widest === -1 || value > (fitted[widest] ?? 0))) widest = index;
    });
    if (widest === -1) break;
    fitted[widest] = (fitted[widest] ?? 0) - 1;
  }
  return fitted;
}

function truncate(text: string, to: number): string {
  const characters = [...text];
  return characters.length <= to ? text : `${characters.slice(0, Math.max(0, to - 1)).join('')}…`;
}

/**
 * A table for a terminal: upper-case headers, columns aligned, colour where the column asks for it.
 * Off a terminal (`-o table` into a pipe) it prints rows as tab-separated fields with no header and no
 * colour, as gh does, so `cut -f2` and `awk -F'\t'` work.
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  terminal: { isTTY: boolean; chalk: ChalkInstance; columns?: number },
): string {
  const fullCells = rows.map((row) => columns.map((column) => singleLine(cellText(column.value(row)))));
  if (!terminal.isTTY) return fullCells.map((line) => `${line.join('\t')}\n`).join('');
  if (rows.length === 0) return '';
  const fullHeaders = columns.map((column) => singleLine(column.header.toUpperCase()));
  const naturalWidths = columns.map((_, index) => Math.max(width(fullHeaders[index] ?? ''), ...fullCells.map((line) => width(line[index] ?? ''))));
  const widths = fitWidths(naturalWidths, columns.map((column) => column.shrink === true), terminal.columns);
  const headers = fullHeaders.map((text, index) => truncate(text, widths[index] ?? 0));
  const cells = fullCells.map((line) => line.map((text, index) => truncate(text, widths[index] ?? 0)));
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
