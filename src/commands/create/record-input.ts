import { readFile } from 'node:fs/promises';
import { isRecord, type DataverseRecord } from '../../dataverse/odata.js';
import { UsageError } from '../../errors.js';
import { parseJsonInput } from '../../options/json-input.js';
import type { IO } from '../../output/io.js';

/** Where the row comes from: exactly one of --data, --file (a path, or - for stdin) and a bare -. */
export interface RecordSource {
  data: string | undefined;
  file: string | undefined;
  /** The bare `-` argument. */
  stdin: boolean;
}

const SOURCES_HINT = "Give the row as --data '{\"name\":\"Contoso\"}', --file row.json, or - to read it from stdin.";

/**
 * Reads and checks the row to create before anything is sent: unreadable input, text that is not
 * JSON, JSON nested too deep, or JSON that is not one object is a usage error (exit 2).
 */
export async function readRecord(source: RecordSource, io: Pick<IO, 'stdin'>, purpose: 'create' | 'update' = 'create'): Promise<DataverseRecord> {
  const given = [source.data !== undefined, source.file !== undefined, source.stdin].filter(Boolean).length;
  if (given === 0) throw new UsageError(purpose === 'create' ? 'No row to create.' : 'No changes to make.', { hint: SOURCES_HINT });
  if (given > 1) throw new UsageError('Give the row one way only: --data, --file or -.', { hint: SOURCES_HINT });
  const fromStdin = source.stdin || source.file === '-';
  const label = source.data !== undefined ? '--data' : fromStdin ? 'stdin' : source.file;
  const text = source.data ?? (fromStdin ? await readAll(io.stdin) : await readFileText(source.file ?? ''));
  return parseRecord(text, label ?? 'the input', purpose);
}

function parseRecord(text: string, label: string, purpose: 'create' | 'update'): DataverseRecord {
  const value = parseJsonInput(text, `The row in ${label}`, SOURCES_HINT);
  if (!isRecord(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new UsageError(`The row in ${label} must be one JSON object, not ${kind}.`, {
      hint:
        purpose === 'create'
          ? 'dvas create makes one row: {"name": "Contoso", "telephone1": "555-0100"}.'
          : 'dvas update takes the columns to change as one object: {"telephone1": "555-0100"}.',
    });
  }
  return value;
}

async function readFileText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : 'unreadable';
    throw new UsageError(`Cannot read the file ${path} (${code}).`, { cause });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
