import { UsageError } from '../errors.js';

/**
 * The deepest JSON dvas sends. Microsoft documents no nesting limit for Web API bodies; a row is
 * one level, a deep insert (a row with its related rows, and theirs) a few more, and the OData
 * reader on the service side bounds nesting of its own
 * (https://learn.microsoft.com/dotnet/api/microsoft.odata.odatamessagequotas.maxnestingdepth).
 * 64 leaves room for any real deep insert and keeps dvas far from the call-stack limit that
 * JSON.parse and JSON.stringify hit at a few thousand levels. Decided in docs/input-limits.md.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deeply the JSON text nests objects and arrays (a flat object is 1), counted without parsing
 * and without recursion, so that any depth is measured safely. Brackets inside strings do not count.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
  }
  return deepest;
}

/**
 * Parses JSON a person gave dvas (`--data`, a file, stdin), before anything is sent: text that is
 * not JSON, or JSON nested deeper than MAX_JSON_DEPTH, is a usage error (exit 2). `what` names the
 * input in the sentence ("The row in --data"), already made safe to print; `hint` is for bad syntax.
 */
export function parseJsonInput(text: string, what: string, hint: string): unknown {
  const depth = jsonNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new UsageError(`${what} is nested ${depth} levels deep; dvas sends JSON at most ${MAX_JSON_DEPTH} levels deep.`, {
      hint: 'A row is one object, with its related rows at most a few levels below it (deep insert).',
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`${what} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}.`, { hint, cause });
  }
}
