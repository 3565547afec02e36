import { GUID_PATTERN } from '../../../dataverse/facts.js';
import type { ColumnInfo } from './table-columns.js';
import { quote } from '../../../output/terminal-text.js';

/** A value typed for the Web API, or why the text or JSON value does not fit its column. */
export type Typed = { ok: true; value: unknown } | { ok: false; problem: string };

const WHOLE = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);
const WHOLE_TYPES = new Set(['Integer', 'BigInt']);
const DECIMAL_TYPES = new Set(['Decimal', 'Double', 'Money']);
const CHOICE_TYPES = new Set(['Picklist', 'State', 'Status']);
const TEXT_TYPES = new Set(['String', 'Memo', 'EntityName']);

const fits = (value: unknown): Typed => ({ ok: true, value });
const refused = (problem: string): Typed => ({ ok: false, problem });

/**
 * A CSV cell typed from its column (docs/bulk-create.md, "Input"): whole numbers, decimals,
 * booleans (true/false/1/0/yes/no), ISO 8601 dates, choices by value, GUIDs; text as it is.
 * The caller leaves empty cells out (no value).
 */
export function typeCell(column: ColumnInfo, text: string): Typed {
  const trimmed = text.trim();
  if (TEXT_TYPES.has(column.type)) return fits(text);
  if (WHOLE_TYPES.has(column.type)) {
    if (!WHOLE.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) return refused(`takes a whole number, not ${quoted(text)}`);
    return fits(Number(trimmed));
  }
  if (DECIMAL_TYPES.has(column.type)) {
    if (!NUMBER.test(trimmed)) return refused(`takes a number, not ${quoted(text)}`);
    return fits(Number(trimmed));
  }
  if (column.type === 'Boolean') {
    const word = trimmed.toLowerCase();
    if (TRUE_WORDS.has(word)) return fits(true);
    if (FALSE_WORDS.has(word)) return fits(false);
    return refused(`takes true or false (or 1/0, yes/no), not ${quoted(text)}`);
  }
  if (CHOICE_TYPES.has(column.type)) {
    if (!WHOLE.test(trimmed)) return refused(`takes a choice by its value (a whole number), not ${quoted(text)}`);
    return choice(column, Number(trimmed));
  }
  if (column.options && column.type === 'Virtual') {
    // A multi-select choice: the Web API takes its values as one comma-separated string.
    const parts = trimmed.split(',').map((part) => part.trim());
    for (const part of parts) {
      if (!WHOLE.test(part) || !column.options.has(Number(part))) return refused(`takes choice values separated by commas, and ${quoted(part)} is not one of ${describeOptions(column)}`);
    }
    return fits(parts.join(','));
  }
  if (column.type === 'DateTime') {
    if (!ISO_DATE.test(trimmed) || Number.isNaN(Date.parse(trimmed))) return refused(`takes an ISO 8601 date or date-time (2026-12-02, 2026-12-02T16:40:00Z), not ${quoted(text)}`);
    return fits(trimmed);
  }
  if (column.type === 'Uniqueidentifier') {
    if (!GUID_PATTERN.test(trimmed)) return refused(`takes a GUID, not ${quoted(text)}`);
    return fits(trimmed.toLowerCase());
  }
  return refused(notSettable(column));
}

/** A JSON value checked against its column: the JSON type must be the one the Web API reads. null clears. */
export function checkJsonValue(column: ColumnInfo, value: unknown): Typed {
  if (value === null) return fits(null);
  const kind = jsonKind(value);
  if (TEXT_TYPES.has(column.type)) return typeof value === 'string' ? fits(value) : refused(`takes a string, not ${kind}`);
  if (WHOLE_TYPES.has(column.type)) return Number.isSafeInteger(value) ? fits(value) : refused(`takes a whole number, not ${kind === 'a number' ? String(value) : kind}`);
  if (DECIMAL_TYPES.has(column.type)) return typeof value === 'number' ? fits(value) : refused(`takes a number, not ${kind}`);
  if (column.type === 'Boolean') return typeof value === 'boolean' ? fits(value) : refused(`takes true or false, not ${kind}`);
  if (CHOICE_TYPES.has(column.type)) return Number.isInteger(value) ? choice(column, value as number) : refused(`takes a choice by its value (a whole number), not ${kind}`);
  if (column.options && column.type === 'Virtual') return typeof value === 'string' ? typeCell(column, value) : refused(`takes its choice values as one string ("1,2"), not ${kind}`);
  if (column.type === 'DateTime') return typeof value === 'string' ? typeCell(column, value) : refused(`takes an ISO 8601 date as a string, not ${kind}`);
  if (column.type === 'Uniqueidentifier') return typeof value === 'string' ? typeCell(column, value) : refused(`takes a GUID as a string, not ${kind}`);
  return refused(notSettable(column));
}

function choice(column: ColumnInfo, value: number): Typed {
  if (column.options && column.options.size > 0 && !column.options.has(value)) return refused(`takes one of the choice values ${describeOptions(column)}, not ${value}`);
  return fits(value);
}

function notSettable(column: ColumnInfo): string {
  if (['Lookup', 'Customer', 'Owner'].includes(column.type)) return `is a lookup: set it as "${column.name}@odata.bind": "/<entity set>(<id>)"`;
  return `is a ${column.type} column, which dvas cannot set from a file`;
}

function describeOptions(column: ColumnInfo): string {
  const values = [...(column.options ?? [])].sort((a, b) => a - b);
  return values.length > 12 ? `${values.slice(0, 12).join(', ')}…` : values.join(', ');
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  return `a ${typeof value}`;
}

/** The value as messages show it: quoted, cut short, control characters escaped (it came from the file). */
export function quoted(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return quote(cut);
}
