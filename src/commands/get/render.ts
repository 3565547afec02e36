import type { CliContext } from '../../context.js';
import type { RecordPage } from '../../dataverse/client.js';
import { COUNT_LIMIT } from '../../dataverse/facts.js';
import type { DataverseRecord } from '../../dataverse/odata.js';
import { cellText, type Column } from '../../output/columns.js';
import { csvField } from '../../output/csv.js';
import { propertiesOf, readableCell, readableColumns, withoutAnnotations } from '../../output/readable.js';
import type { GetResult } from './run.js';

/**
 * Writes what `dvas get` read in the --output format. JSON and NDJSON print rows as the service
 * returned them, annotations removed unless --formatted; table and CSV print readable cells.
 * Query results stream: JSON, NDJSON and CSV rows are written as each page arrives; only a table
 * waits for every row, to align its columns. The count (--count) and "more rows" go to stderr, so
 * that stdout stays rows and nothing else in every format.
 */
export async function renderGetResult(result: GetResult, ctx: CliContext): Promise<void> {
  if (result.kind === 'record') return renderRecord(result.record, result.request.select, result.request.formatted, ctx);

  const pages = reportPages(result.pages, result.table.EntitySetName, ctx);
  const forJson = (record: DataverseRecord) => (result.request.formatted ? record : withoutAnnotations(record));
  switch (ctx.options.output) {
    case 'json':
      return streamJsonArray(pages, forJson, ctx);
    case 'ndjson':
      for await (const page of pages) ctx.io.stdout.write(page.records.map((record) => `${JSON.stringify(forJson(record))}\n`).join(''));
      return;
    case 'csv':
      return streamCsv(pages, result.request.select, ctx);
    case 'table': {
      const rows = await ctx.withSpinner(`Reading ${result.table.EntitySetName}`, async (spinner) => {
        const all: DataverseRecord[] = [];
        for await (const page of pages) {
          all.push(...page.records);
          spinner.update(`Reading ${result.table.EntitySetName}: ${all.length} rows`);
        }
        return all;
      });
      if (rows.length === 0) ctx.messages.note('No rows.');
      else ctx.output.list(rows, readableColumns(propertiesOf(rows, result.request.select)));
      return;
    }
  }
}

function renderRecord(record: DataverseRecord, select: readonly string[] | undefined, formatted: boolean, ctx: CliContext): void {
  if (ctx.options.output === 'json' || ctx.options.output === 'ndjson') {
    ctx.output.record(formatted ? record : withoutAnnotations(record), []);
    return;
  }
  // Without --select a Dataverse row has dozens of empty columns: a person wants the filled ones.
  const properties = propertiesOf([record], select).filter((property) => select !== undefined || readableCell(record, property) !== null);
  ctx.output.record(record, readableColumns(properties));
}

/** Passes the pages through, saying on stderr how many rows match (--count) and whether more pages were left unread. */
async function* reportPages(pages: AsyncIterable<RecordPage>, entitySet: string, ctx: CliContext): AsyncGenerator<RecordPage> {
  let first = true;
  let last: RecordPage | undefined;
  for await (const page of pages) {
    if (first && page.count !== undefined) {
      ctx.messages.note(page.count >= COUNT_LIMIT ? `${COUNT_LIMIT} or more rows match (Dataverse counts up to ${COUNT_LIMIT}).` : `${page.count} ${page.count === 1 ? 'row matches' : 'rows match'}.`);
    }
    first = false;
    last = page;
    yield page;
  }
  if (last?.nextLink || last?.moreRecords) ctx.messages.hint(`There are more rows in ${entitySet}: add --all to read every page.`);
}

/**
 * `JSON.stringify(rows, null, 2)`, byte for byte, written page by page. Nothing is written before
 * the first page has arrived (an error or --dry-run before it leaves stdout to them). Once the
 * array is open, a failure or Ctrl+C still closes it (here, or by main() when it stops waiting),
 * so stdout holds one whole JSON document of the rows read, and the error goes to stderr.
 */
async function streamJsonArray(pages: AsyncIterable<RecordPage>, forJson: (record: DataverseRecord) => DataverseRecord, ctx: CliContext): Promise<void> {
  let closeArray: (() => void) | undefined;
  try {
    for await (const page of pages) {
      for (const record of page.records) {
        const text = JSON.stringify(forJson(record), null, 2).replace(/\n/g, '\n  ');
        if (closeArray) ctx.io.stdout.write(`,\n  ${text}`);
        else {
          closeArray = ctx.io.stdout.openDocument('\n]\n');
          ctx.io.stdout.write(`[\n  ${text}`);
        }
      }
    }
  } finally {
    closeArray?.();
  }
  if (!closeArray) ctx.io.stdout.write('[]\n');
}

/** CSV with the columns of the first page (every page of one query has the same shape), rows written as pages arrive. */
async function streamCsv(pages: AsyncIterable<RecordPage>, select: readonly string[] | undefined, ctx: CliContext): Promise<void> {
  let columns: Column<DataverseRecord>[] | undefined;
  const line = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;
  for await (const page of pages) {
    if (!columns) {
      columns = readableColumns(propertiesOf(page.records, select));
      ctx.io.stdout.write(line(columns.map((column) => column.header)));
    }
    const current = columns;
    ctx.io.stdout.write(page.records.map((record) => line(current.map((column) => cellText(column.value(record))))).join(''));
  }
}
