import { isRecord, type DataverseRecord } from '../../dataverse/odata.js';
import { UsageError } from '../../errors.js';
import { parseJsonInput } from '../../options/json-input.js';
import { readTextInput } from '../../options/text-input.js';
import { quote } from '../../output/terminal-text.js';
import type { IO } from '../../output/io.js';

/** Where the row comes from: exactly one of --data, --file (a path, or - for stdin) and a bare -. */
export interface RecordSource {
  data: string | undefined;
  file: string | undefined;
  /** The bare `-` argument. */
  stdin: boolean;
  /** The input already read (create reads a JSON file once to tell one row from many), and where it came from. */
  text?: string;
  label?: string;
}

const SOURCES_HINT = "Give the row as --data '{\"name\":\"Contoso\"}', --file row.json, or - to read it from stdin.";

/**
 * Reads and checks the row to create before anything is sent: unreadable input, text that is not
 * JSON, JSON nested too deep, or JSON that is not one object is a usage error (exit 2).
 */
export async function readRecord(source: RecordSource, io: Pick<IO, 'stdin'>, purpose: 'create' | 'update' = 'create'): Promise<DataverseRecord> {
  const input = await readSourceText(source, io, { what: 'the row', hint: SOURCES_HINT });
  if (!input) throw new UsageError(purpose === 'create' ? 'No row to create.' : 'No changes to make.', { hint: SOURCES_HINT });
  return parseRecord(input.text, input.label, purpose);
}

/**
 * The text of --data, --file (a path, or - for stdin) or a bare -, and how messages name it
 * (`--data`, `stdin`, the path); undefined when none was given. Giving two is a usage error;
 * `what` names the input in that sentence.
 */
export async function readSourceText(source: RecordSource, io: Pick<IO, 'stdin'>, options: { what: string; hint: string }): Promise<{ text: string; label: string } | undefined> {
  const given = [source.data !== undefined, source.file !== undefined, source.stdin].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given > 1) throw new UsageError(`Give ${options.what} one way only: --data, --file or -.`, { hint: options.hint });
  const fromStdin = source.stdin || source.file === '-';
  const label = source.label ?? (source.data !== undefined ? '--data' : fromStdin ? 'stdin' : quote(source.file ?? ''));
  const text = source.text ?? source.data ?? (await readTextInput(fromStdin ? '-' : (source.file ?? ''), io.stdin));
  return { text, label };
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
