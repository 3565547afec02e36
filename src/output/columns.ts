import type { ChalkInstance } from 'chalk';
import { terminalSafe } from './terminal-text.js';

/** What a table cell or CSV field can hold; commands turn lookups and objects into readable text first. */
export type Cell = string | number | boolean | null | undefined | Date;

/**
 * One column of a table or CSV (or one line of a record view). Commands describe their data with
 * these and stay out of formatting; JSON output ignores them and prints the data itself.
 */
export interface Column<Row> {
  header: string;
  value: (row: Row) => Cell;
  /** Colour for a cell on a terminal, e.g. dim for ids; never applied off a terminal. */
  paint?: (text: string, chalk: ChalkInstance, row: Row) => string;
  /**
   * Text that may be cut short (with "…") when the table is wider than the terminal: names and
   * emails. Never ids: a cut GUID is useless to copy into --as.
   */
  shrink?: boolean;
}

/**
 * Columns that are a row's own fields, headed by their JSON names: what CSV shows for commands whose
 * table view relabels or merges fields, so that a CSV and a JSON export of the same command line up.
 */
export function fieldColumns<Row extends object>(fields: readonly (keyof Row & string)[]): Column<Row>[] {
  return fields.map((field) => ({
    header: field,
    value: (row: Row) => {
      const value: unknown = row[field];
      return value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
    },
  }));
}

/** A cell as text: nothing for null/undefined, ISO-8601 for dates. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/**
 * Keeps a table row on one line and the terminal under dvas's control: line breaks and tabs become
 * spaces, other control characters (escape sequences in data) are shown escaped (terminal-text.ts).
 */
export function singleLine(text: string): string {
  return terminalSafe(text.replace(/\r\n|[\r\n\t]/g, ' '));
}
