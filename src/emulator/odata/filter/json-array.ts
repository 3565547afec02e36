import { errors } from '../../http/errors.js';

export type ArrayItem = string | number | boolean | null;

const COMMA_EXPECTED =
  "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.";

/**
 * Reads the array literal of a query function's PropertyValues (`["a","b"]`, `['a','b']`, `[1,2]`).
 * The service reads it as lenient JSON: single-quoted items are allowed but cannot contain a
 * quote, and the mistake gives the service's "comma was expected" message (docs/dataverse-web-api.md §3.3).
 */
export function readJsonArray(text: string): ArrayItem[] {
  const items: ArrayItem[] = [];
  let position = skipSpace(text, 1);
  if (text[position] === ']') return items;
  for (;;) {
    const [item, end] = readItem(text, position);
    items.push(item);
    position = skipSpace(text, end);
    if (text[position] === ']' && skipSpace(text, position + 1) === text.length) return items;
    if (text[position] !== ',') throw errors.badQuery(COMMA_EXPECTED);
    position = skipSpace(text, position + 1);
  }
}

function readItem(text: string, start: number): [ArrayItem, number] {
  const quote = text[start];
  if (quote === "'") {
    const end = text.indexOf("'", start + 1);
    if (end === -1) throw errors.badQuery(COMMA_EXPECTED);
    return [text.slice(start + 1, end), end + 1];
  }
  if (quote === '"') {
    let end = start + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    try {
      return [JSON.parse(text.slice(start, end + 1)) as string, end + 1];
    } catch {
      throw errors.badQuery(COMMA_EXPECTED);
    }
  }
  let end = start;
  while (end < text.length && !',] \t'.includes(text[end] as string)) end++;
  const word = text.slice(start, end);
  if (word === 'true' || word === 'false') return [word === 'true', end];
  if (word === 'null') return [null, end];
  const number = Number(word);
  if (word === '' || Number.isNaN(number)) throw errors.badQuery(`Invalid JSON. Unexpected token '${word || text[start] || ''}' in scope 'Array'.`);
  return [number, end];
}

function skipSpace(text: string, position: number): number {
  while (position < text.length && (text[position] === ' ' || text[position] === '\t')) position++;
  return position;
}
