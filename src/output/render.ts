import type { ChalkInstance } from 'chalk';
import type { OutputFormat } from '../options/global-options.js';
import type { Column } from './columns.js';
import { renderCsv } from './csv.js';
import { formatDocument } from './document.js';
import { renderRecordTable, renderTable } from './table.js';

export interface RenderTarget {
  format: OutputFormat;
  /** Whether stdout is a terminal: decides between an aligned table and tab-separated rows. */
  isTTY: boolean;
  chalk: ChalkInstance;
  /** The terminal's width, when known: a wider table cuts its shrinkable columns to fit. */
  columns?: number;
}

/**
 * A list of rows in the chosen format. JSON and NDJSON print the rows themselves (the command's data,
 * with its own property names); table and CSV print the columns.
 */
export function renderList<Row>(rows: readonly Row[], columns: readonly Column<Row>[], target: RenderTarget): string {
  switch (target.format) {
    case 'json':
      return formatDocument(rows, 'json');
    case 'ndjson':
      return rows.map((row) => formatDocument(row, 'ndjson')).join('');
    case 'csv':
      return renderCsv(rows, columns);
    case 'table':
      return renderTable(rows, columns, target);
  }
}

/** One record: label/value lines as a table, an object in JSON, one line in NDJSON, one row in CSV. */
export function renderRecord<Row>(row: Row, fields: readonly Column<Row>[], target: RenderTarget): string {
  switch (target.format) {
    case 'json':
    case 'ndjson':
      return formatDocument(row, target.format);
    case 'csv':
      return renderCsv([row], fields);
    case 'table':
      return renderRecordTable(row, fields, target);
  }
}
