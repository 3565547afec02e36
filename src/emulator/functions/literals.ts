import { errors } from '../http/errors.js';
import { MAX_NESTING, nestingTooDeep } from '../odata/nesting-limit.js';

/** A function parameter value as OData URL literals and JSON aliases spell them. */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * Parses one function parameter value: OData literals (`'text'` with `''` escaping, bare GUIDs,
 * true/false/null, numbers) and the JSON that parameter aliases carry (`["a","b"]`,
 * `{'@odata.id':'accounts(…)'}`; Dataverse accepts single or double quotes in both). Errors are
 * the service's 400 "Invalid JSON…" messages, code 0x0 (docs/dataverse-web-api.md §3.3).
 */
export function parseLiteral(text: string): Literal {
  const parser = new LiteralParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

const GUID_TOKEN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const NUMBER_TOKEN = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const SEPARATOR_MISSING = (scope: 'Array' | 'Object') =>
  `A comma character ',' was expected in scope '${scope}'. Every two elements in an array and properties of an object must be separated by commas.`;

class LiteralParser {
  private position = 0;
  /** Arrays and objects open around the current value: bounded, since each is a level of recursion. */
  private depth = 0;

  constructor(private readonly text: string) {}

  value(): Literal {
    this.skipSpace();
    const char = this.text[this.position];
    if (char === undefined) throw this.invalid('Unexpected end of content while reading a value.');
    if (char === '[') return this.array();
    if (char === '{') return this.object();
    if (char === "'" || char === '"') return this.string();
    const rest = this.text.slice(this.position);
    const guid = GUID_TOKEN.exec(rest);
    if (guid) {
      this.position += guid[0].length;
      return guid[0].toLowerCase();
    }
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (rest.startsWith(word)) {
        this.position += word.length;
        return literal;
      }
    }
    const number = NUMBER_TOKEN.exec(rest);
    if (number) {
      this.position += number[0].length;
      return Number(number[0]);
    }
    throw this.invalid(`Unexpected character '${char}' at position ${this.position} in '${this.text}'.`);
  }

  end(): void {
    this.skipSpace();
    if (this.position < this.text.length) {
      throw this.invalid(`Additional text found after the end of the value at position ${this.position} in '${this.text}'.`);
    }
  }

  private array(): Literal[] {
    this.enter();
    this.position++;
    const items: Literal[] = [];
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position++;
      this.depth--;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.position];
      if (next === ']') {
        this.position++;
        this.depth--;
        return items;
      }
      if (next !== ',') throw this.invalid(SEPARATOR_MISSING('Array'));
      this.position++;
    }
  }

  private object(): { [key: string]: Literal } {
    this.enter();
    this.position++;
    const result: { [key: string]: Literal } = {};
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position++;
      this.depth--;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const quote = this.text[this.position];
      if (quote !== "'" && quote !== '"') throw this.invalid(`A property name was expected at position ${this.position} in '${this.text}'.`);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.position] !== ':') throw this.invalid(`A colon character ':' was expected after the property name '${key}'.`);
      this.position++;
      result[key] = this.value();
      this.skipSpace();
      const next = this.text[this.position];
      if (next === '}') {
        this.position++;
        this.depth--;
        return result;
      }
      if (next !== ',') throw this.invalid(SEPARATOR_MISSING('Object'));
      this.position++;
    }
  }

  /** A quoted string: '' escapes a quote inside single quotes (OData), backslash escapes inside double quotes (JSON). */
  private string(): string {
    const quote = this.text[this.position] as string;
    let result = '';
    let i = this.position + 1;
    for (; i < this.text.length; i++) {
      const char = this.text[i] as string;
      if (char === quote) {
        if (quote === "'" && this.text[i + 1] === "'") {
          result += "'";
          i++;
          continue;
        }
        this.position = i + 1;
        return result;
      }
      if (char === '\\' && quote === '"') {
        const escaped = this.text[i + 1];
        if (escaped === undefined) break;
        const decoded = ESCAPES[escaped];
        if (decoded === undefined) throw this.invalid(`Invalid escape sequence '\\${escaped}' in '${this.text}'.`);
        result += decoded;
        i++;
        continue;
      }
      result += char;
    }
    throw this.invalid(`There is an unterminated literal at position ${this.position} in '${this.text}'.`);
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw nestingTooDeep();
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] as string)) this.position++;
  }

  private invalid(detail: string) {
    return errors.badQuery(`Invalid JSON. ${detail}`);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
