import { UsageError } from '../errors.js';
import { GUID_PATTERN, GUID_SOURCE } from './facts.js';
import { quote } from '../output/terminal-text.js';

/**
 * How a command names one row: its primary key (a GUID), or an alternate key of `name=value`
 * pairs (`accountnumber='A-1'`, `firstname='Joe',emailaddress1='joe@contoso.com'`,
 * `_primarycontactid_value=<guid>`), as Microsoft's page on alternate keys writes them:
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record
 *
 * A key is parsed into its parts and written back into the URL by dvas, never pasted into it: a
 * value's characters are percent-encoded, so that nothing a user types can end the key, add a
 * path segment (`')/../../systemusers(…`) or start a query.
 */
export type RecordKey = { kind: 'id'; id: string } | { kind: 'alternate'; parts: readonly KeyPart[] };

export interface KeyPart {
  /** A column's logical name (a lookup as `_name_value`). */
  name: string;
  value: KeyValue;
}

/** A key value: an OData string literal (quoted in the URL), or a literal written bare. */
export type KeyValue = { kind: 'string'; text: string } | { kind: 'literal'; text: string };

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The literals a key column can hold besides text: whole and decimal numbers, GUIDs (lookups), booleans, dates. */
const BARE_LITERAL = new RegExp(`^(?:-?\\d+(?:\\.\\d+)?|true|false|\\d{4}-\\d{2}-\\d{2}|${GUID_SOURCE})$`);
/**
 * Characters Dataverse cannot take in a key value in a URL: "If the data within a column that is
 * used in an alternate key will contain one of the following characters / , # , < , > , * , % ,
 * & , : , \\ , ? , + then GET or PATCH actions will not work."
 * (https://learn.microsoft.com/power-apps/maker/data-platform/define-alternate-keys-portal)
 */
const UNSUPPORTED_IN_KEY = /[/#<>*%&:\\?+]/;
// Any C0 or C1 control character, DEL included: no key holds one, and echoing it would reach the terminal.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** Dataverse allows at most 16 columns in an alternate key (define-alternate-keys-entity). */
const MAX_KEY_PARTS = 16;

const FORMS_HINT = "Give a GUID such as 00000000-0000-0000-0000-000000000000, or an alternate key such as accountnumber='A-1' (text in single quotes, '' for a quote inside).";

/**
 * Reads a row's key as the user wrote it. `what` names the argument in messages ("The id").
 * Anything but a GUID (braces allowed) or well-formed `name=value` pairs is a usage error (exit 2),
 * so nothing is sent.
 */
export function parseRecordKey(raw: string, what = 'The id'): RecordKey {
  const fail = (problem: string, hint = FORMS_HINT) => new UsageError(`${what} ${problem}.`, { hint });
  if (CONTROL_CHARACTER.test(raw)) throw fail(`contains a control character: ${quote(raw)}`);
  const text = raw.trim();
  if (text === '') throw fail('is empty');
  const guid = text.replace(/^\{(.*)\}$/, '$1');
  if (GUID_PATTERN.test(guid)) return { kind: 'id', id: guid.toLowerCase() };
  if (!text.includes('=')) throw fail(`${quote(raw)} is neither a GUID nor an alternate key (name=value)`);

  const parts: KeyPart[] = [];
  let at = 0;
  for (;;) {
    const eq = text.indexOf('=', at);
    if (eq === -1) throw fail(`${quote(raw)} is not an alternate key: ${quote(text.slice(at))} has no =value`);
    const name = text.slice(at, eq).trim();
    if (!COLUMN_NAME.test(name)) throw fail(`${quote(raw)} is not an alternate key: ${quote(name)} is not a column name`);
    if (parts.some((part) => part.name === name)) throw fail(`${quote(raw)} names the column ${name} twice`);
    const { value, end } = readValue(text, eq + 1, raw, fail);
    parts.push({ name, value });
    at = skipSpaces(text, end);
    if (at === text.length) break;
    if (text[at] !== ',') {
      throw fail(`${quote(raw)} is not an alternate key: unexpected ${quote(text.slice(at))} after the value of ${name}`);
    }
    at++;
  }
  if (parts.length > MAX_KEY_PARTS) throw fail(`has ${parts.length} columns; an alternate key has at most ${MAX_KEY_PARTS}`);
  return { kind: 'alternate', parts };
}

function readValue(
  text: string,
  start: number,
  raw: string,
  fail: (problem: string, hint?: string) => UsageError,
): { value: KeyValue; end: number } {
  const from = skipSpaces(text, start);
  if (text[from] === "'") {
    let value = '';
    for (let i = from + 1; i < text.length; i++) {
      const char = text[i] as string;
      if (char !== "'") {
        value += char;
        continue;
      }
      if (text[i + 1] === "'") {
        value += "'";
        i++;
        continue;
      }
      refuseUnsupported(value, fail);
      return { value: { kind: 'string', text: value }, end: i + 1 };
    }
    throw fail(`${quote(raw)} is not an alternate key: a quoted value is not closed (write '' for a quote inside it)`);
  }
  let end = from;
  while (end < text.length && text[end] !== ',') end++;
  const literal = text.slice(from, end).trim();
  if (!BARE_LITERAL.test(literal)) {
    refuseUnsupported(literal, fail);
    throw fail(
      `${quote(raw)} is not an alternate key: ${quote(literal)} is neither quoted text nor a number, GUID, true/false or date`,
      "Put text in single quotes: accountnumber='A-1'.",
    );
  }
  return { value: { kind: 'literal', text: literal }, end };
}

function refuseUnsupported(value: string, fail: (problem: string, hint?: string) => UsageError): void {
  const found = UNSUPPORTED_IN_KEY.exec(value)?.[0];
  if (found === undefined) return;
  throw fail(
    `holds ${quote(found)} in a key value, which Dataverse cannot take in a key in the URL`,
    'Find the row with a filter instead, e.g. dvas get <table> --filter "<column> eq \'<value>\'", and use its id.',
  );
}

function skipSpaces(text: string, from: number): number {
  let at = from;
  while (text[at] === ' ') at++;
  return at;
}

/**
 * The text between the parentheses of `<entity set>(…)` as it goes on the wire: a GUID as it is;
 * an alternate key's names as they are, and its values percent-encoded except the quotes that
 * delimit text (a quote inside is doubled, as OData escapes it).
 */
export function keyPredicate(key: RecordKey): string {
  if (key.kind === 'id') return key.id;
  return key.parts.map((part) => `${part.name}=${encodeValue(part.value)}`).join(',');
}

function encodeValue(value: KeyValue): string {
  if (value.kind === 'literal') return encodeStrict(value.text);
  return `'${value.text.split("'").map(encodeStrict).join("''")}'`;
}

/** Percent-encodes everything but RFC 3986's unreserved characters (encodeURIComponent leaves !'()* as they are). */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** How messages name the row: `accounts(<guid>)`, `accounts(accountnumber='A-1')` (decoded, for people). */
export function describeRecord(entitySet: string, key: RecordKey): string {
  if (key.kind === 'id') return `${entitySet}(${key.id})`;
  const parts = key.parts.map(({ name, value }) => `${name}=${value.kind === 'string' ? `'${value.text.replace(/'/g, "''")}'` : value.text}`);
  return `${entitySet}(${parts.join(',')})`;
}

/** The GUID, when the key is the primary key. */
export function keyId(key: RecordKey): string | undefined {
  return key.kind === 'id' ? key.id : undefined;
}
