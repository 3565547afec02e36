import { errors } from '../../http/errors.js';

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'guid'
  | 'date'
  | 'datetime'
  | 'array'
  | 'alias'
  | 'openParen'
  | 'closeParen'
  | 'comma'
  | 'slash'
  | 'colon'
  | 'equals'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written (for a string literal: with its quotes and '' escapes). */
  text: string;
  /** Zero-based offset in the expression, as the service reports positions. */
  position: number;
}

// Compiled once: the lexer runs on every query, so no per-call or per-row regular expressions.
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])/y;
const DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/y;
const DATE = /\d{4}-\d{2}-\d{2}(?![0-9A-Za-z_:])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?/y;
const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'openParen',
  ')': 'closeParen',
  ',': 'comma',
  '/': 'slash',
  ':': 'colon',
  '=': 'equals',
};

/**
 * Splits an OData expression into tokens, all at once: as in ODataLib, a lexical error (an
 * unterminated literal, a character that cannot start a token) is reported before any syntax
 * error, with the service's wording and position.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position] as string;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      position++;
      continue;
    }
    const token = readToken(text, position, char);
    tokens.push(token);
    position += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

function readToken(text: string, position: number, char: string): Token {
  const punctuation = PUNCTUATION[char];
  if (punctuation) return { kind: punctuation, text: char, position };
  if (char === "'") return { kind: 'string', text: readQuoted(text, position), position };
  if (char === '[') return { kind: 'array', text: readBracketed(text, position), position };
  if (char === '@') {
    const name = match(IDENTIFIER, text, position + 1);
    if (name) return { kind: 'alias', text: `@${name}`, position };
  }
  const guid = match(GUID, text, position);
  if (guid) return { kind: 'guid', text: guid, position };
  if (isDigit(char) || (char === '-' && isDigit(text[position + 1]))) {
    const dateTime = match(DATE_TIME, text, position);
    if (dateTime) return { kind: 'datetime', text: dateTime, position };
    const date = match(DATE, text, position);
    if (date) return { kind: 'date', text: date, position };
    const number = match(NUMBER, text, position);
    if (number) return { kind: 'number', text: number, position };
  }
  const identifier = match(IDENTIFIER, text, position);
  if (identifier) return { kind: 'identifier', text: identifier, position };
  throw errors.badQuery(`Syntax error: character '${char}' is not valid at position ${position} in '${text}'.`);
}

function match(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** A single-quoted literal with '' escapes, quotes included. */
function readQuoted(text: string, start: number): string {
  let position = start + 1;
  for (;;) {
    const end = text.indexOf("'", position);
    if (end === -1) throw unterminated(text);
    if (text[end + 1] === "'") {
      position = end + 2;
      continue;
    }
    return text.slice(start, end + 1);
  }
}

/**
 * A bracketed JSON-like array (`['a','b']`, `["a","b"]`), brackets included. Only double-quoted
 * (JSON) strings may hold brackets: the service reads the array as JSON, so a stray single quote
 * (`['O'Brian']`) is reported by the array reader as invalid JSON, as the real service does.
 */
function readBracketed(text: string, start: number): string {
  let depth = 0;
  let quoted = false;
  for (let position = start; position < text.length; position++) {
    const char = text[position] as string;
    if (quoted) {
      if (char === '\\') position++;
      else if (char === '"') quoted = false;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === '[') depth++;
    else if (char === ']' && --depth === 0) return text.slice(start, position + 1);
  }
  if (quoted) throw unterminated(text);
  throw errors.badQuery('Found an unbalanced bracket expression.');
}

function unterminated(text: string) {
  return errors.badQuery(`There is an unterminated literal at position ${text.length} in '${text}'.`);
}
