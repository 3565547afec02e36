import { parse, CsvError } from 'csv-parse';
import type { InputRow } from '../input-row.js';

/** A CSV file that cannot be read past some point (an unclosed quote): the whole input is refused. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const LINE_BREAKS = /\r\n|\r|\n/g;

/**
 * CSV with a header row, streamed through csv-parse (RFC 4180 quoting, a BOM, CRLF or LF). A
 * row's position is the line its record starts on, counted here from each record's raw text:
 * csv-parse's own line count drifts on CRLF inside quoted fields. Blank lines are not rows; a
 * record with more or fewer fields than the header is an unreadable row naming both counts.
 */
export async function* csvRows(input: NodeJS.ReadableStream): AsyncGenerator<InputRow> {
  const parser = input.pipe(parse({ bom: true, raw: true, info: true, relax_column_count: true, skip_empty_lines: false }));
  let header: string[] | undefined;
  let line = 1;
  let ordinal = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const start = line;
      line += item.raw.match(LINE_BREAKS)?.length ?? 0;
      const { record } = item;
      if (record.length === 1 && record[0] === '') continue;
      if (!header) {
        header = record.map((name) => name.trim());
        continue;
      }
      ordinal++;
      if (record.length !== header.length) {
        yield { position: start, ordinal, unreadable: `${record.length} fields where the header has ${header.length}` };
        continue;
      }
      const cells = new Map<string, string>();
      for (let index = 0; index < header.length; index++) cells.set(header[index] ?? '', record[index] ?? '');
      yield { position: start, ordinal, cells };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = typeof (error as { lines?: unknown }).lines === 'number' ? (error as unknown as { lines: number }).lines : line;
      throw new CsvSyntaxError(at, `${error.message.replace(/^[A-Za-z ]+: /, '').replace(/\.?$/, '')}.`);
    }
    throw error;
  }
}
