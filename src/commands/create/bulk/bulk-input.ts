import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../../../errors.js';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../../options/json-input.js';
import type { IO } from '../../../output/io.js';
import type { InputFormat, InputRow } from './input-row.js';
import { jsonArrayRows } from './readers/json-rows.js';
import { ndjsonRows } from './readers/ndjson-rows.js';
import { quote } from '../../../output/terminal-text.js';

/** Many rows to create: read once (stdin) or as often as asked (a file, an array). */
export interface BulkInput {
  format: InputFormat;
  /** The file as given, `-` for stdin, `--data`. */
  label: string;
  /** Whether the rows can be read a second time: then all are checked before the first is sent. */
  rereadable: boolean;
  rows(): AsyncGenerator<InputRow>;
}

/** What the input to `dvas create` is: one row (today's create) or many. */
export type CreateInput = { kind: 'single'; text: string; label: string } | { kind: 'bulk'; input: BulkInput };

const FORMATS: readonly InputFormat[] = ['json', 'ndjson', 'csv'];

/** The format a file's extension says; JSON unless it says NDJSON or CSV. */
export function formatOfPath(path: string): InputFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  if (extension === '.csv') return 'csv';
  return 'json';
}

export function parseFormat(value: string | undefined): InputFormat | undefined {
  if (value === undefined) return undefined;
  const format = FORMATS.find((candidate) => candidate === value.toLowerCase());
  if (!format) throw new UsageError(`--format takes json, ndjson or csv, not ${quote(value)}.`);
  return format;
}

/**
 * Decides between one row and many (docs/bulk-create.md, "Input"): NDJSON and CSV are always
 * bulk; JSON is read whole, and an array is bulk while one object stays the single create.
 */
export async function openCreateInput(source: { data?: string; file?: string; stdin: boolean; format?: InputFormat }, io: Pick<IO, 'stdin'>): Promise<CreateInput | undefined> {
  const fromStdin = source.stdin || source.file === '-';
  if (source.data !== undefined) return fromJsonText(source.data, '--data');
  if (!fromStdin && source.file === undefined) return undefined;
  const label = fromStdin ? '-' : (source.file ?? '');
  const format = source.format ?? (fromStdin ? 'json' : formatOfPath(label));
  if (format === 'json') return fromJsonText(fromStdin ? await readAll(io.stdin) : await readText(label), fromStdin ? 'stdin' : quote(label));
  if (!fromStdin) await checkReadable(label);
  const open = (): NodeJS.ReadableStream => (fromStdin ? io.stdin : createReadStream(label));
  let used = false;
  return {
    kind: 'bulk',
    input: {
      format,
      label,
      rereadable: !fromStdin,
      rows: () => {
        if (fromStdin && used) throw new Error('Internal: stdin read twice.');
        used = true;
        return format === 'csv' ? csvRowsOf(open()) : ndjsonRows(open());
      },
    },
  };
}

/** CSV rows, with csv-parse loaded only when a CSV is read (a single create never pays for it). */
async function* csvRowsOf(stream: NodeJS.ReadableStream): AsyncGenerator<InputRow> {
  const { csvRows } = await import('./readers/csv-rows.js');
  yield* csvRows(stream);
}

function fromJsonText(text: string, label: string): CreateInput {
  // Too deep, or not JSON: the single create's reader refuses it in its words (exit 2).
  if (jsonNestingDepth(text) > MAX_JSON_DEPTH) return { kind: 'single', text, label };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON at all: the single create's reader says so in its words.
    return { kind: 'single', text, label };
  }
  if (!Array.isArray(value)) return { kind: 'single', text, label };
  const elements: unknown[] = value;
  return { kind: 'bulk', input: { format: 'json', label, rereadable: true, rows: () => jsonArrayRows(elements) } };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`Cannot read the file ${quote(path)} (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}).`, { cause });
  }
}

async function checkReadable(path: string): Promise<void> {
  try {
    await access(path);
  } catch (cause) {
    throw new UsageError(`Cannot read the file ${quote(path)} (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}).`, { cause });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

