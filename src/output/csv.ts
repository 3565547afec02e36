import { cellText, type Column } from './columns.js';

/** RFC 4180: quote a field holding a comma, a double quote, CR or LF (or edge spaces), doubling inner quotes. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row, then one row per record, CRLF line ends as RFC 4180 specifies. */
export function renderCsv<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const line = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;
  return line(columns.map((column) => column.header)) + rows.map((row) => line(columns.map((column) => cellText(column.value(row))))).join('');
}
