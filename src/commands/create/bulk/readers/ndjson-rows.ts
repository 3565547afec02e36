import { createInterface } from 'node:readline';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../../../options/json-input.js';
import type { InputRow } from '../input-row.js';

/**
 * NDJSON, one JSON value per line, streamed: the next line is read only when the consumer asks
 * for it (readline's async iterator pauses the stream), so a million lines take the memory of a
 * few. Blank lines are not rows; a line that is not JSON is an unreadable row naming why.
 */
export async function* ndjsonRows(input: NodeJS.ReadableStream): AsyncGenerator<InputRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let ordinal = 0;
  for await (const text of lines) {
    line++;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (trimmed === '') continue;
    ordinal++;
    const depth = jsonNestingDepth(trimmed);
    if (depth > MAX_JSON_DEPTH) {
      yield { position: line, ordinal, unreadable: `nested ${depth} levels deep; dvas sends JSON at most ${MAX_JSON_DEPTH} levels deep` };
      continue;
    }
    try {
      yield { position: line, ordinal, value: JSON.parse(trimmed) };
    } catch (error) {
      yield { position: line, ordinal, unreadable: `not JSON (${syntaxProblem(error)})` };
    }
  }
}

/** V8's message without the window of the input it quotes (the input may hold anything). */
export function syntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message)?.[1];
  if (/Unexpected end of JSON input/.test(message)) return 'it ends too early';
  return position === undefined ? 'a syntax error' : `a syntax error at character ${Number(position) + 1}`;
}
