import { errors } from '../http/errors.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { KeyDef, TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import type { ColumnValue, Row } from '../store/types.js';
import { attributeByProperty } from './property-names.js';
import { comparableValue } from './values.js';

/**
 * A key segment resolved against one of the table's alternate keys
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record):
 * the key and its column values as a row stores them (a lookup key part as a reference to the
 * lookup's first target, compared by id).
 */
export interface AlternateKeyValues {
  key: KeyDef;
  values: Row;
  /** The key as sent, between the parentheses: what OData-EntityId echoes after an upsert by key. */
  text: string;
}

/**
 * Binds `name=literal` pairs to the table's alternate key with exactly those columns (in any
 * order). Names that are not a key are ODataLib's "key in the request URI is not valid" 400; a
 * value of the wrong kind for its column is a 400 naming it.
 */
export function bindAlternateKey(table: TableDef, parts: ReadonlyMap<string, string>, text: string): AlternateKeyValues {
  const match = matchAlternateKey(table, parts, text);
  if (!match) throw errors.keyMismatch(table.logicalName);
  return match;
}

/** As bindAlternateKey, but undefined when the names are not one of the table's keys. */
export function matchAlternateKey(table: TableDef, parts: ReadonlyMap<string, string>, text: string): AlternateKeyValues | undefined {
  const attributes = new Map<string, string>();
  for (const [property, literal] of parts) {
    const attribute = attributeByProperty(table, property);
    if (!attribute) return undefined;
    attributes.set(attribute.logicalName, literal);
  }
  const key = table.keys.find(
    (candidate) => candidate.attributes.length === attributes.size && candidate.attributes.every((name) => attributes.has(name)),
  );
  if (!key) return undefined;
  const values: Row = {};
  for (const name of key.attributes) {
    const attribute = table.attributes.get(name);
    if (!attribute) throw new Error(`Internal: key ${key.logicalName} names no column ${name}.`);
    values[name] = keyValue(table, name, attribute.type, attribute.targets?.[0], attributes.get(name) as string);
  }
  return { key, values, text };
}

function keyValue(table: TableDef, name: string, type: string, target: string | undefined, literal: string): ColumnValue {
  const text = literal.trim();
  const wrong = () =>
    errors.badQuery(`Bad Request - Error in query syntax. The value ${text} of key property '${name}' of '${table.logicalName}' is not of the column's type.`);
  switch (type) {
    case 'String': {
      if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'")) throw wrong();
      return text.slice(1, -1).replace(/''/g, "'");
    }
    case 'Integer':
    case 'Picklist':
      if (!/^-?\d+$/.test(text)) throw wrong();
      return Number(text);
    case 'Decimal':
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw wrong();
      return Number(text);
    case 'DateTime': {
      const time = Date.parse(text);
      if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) throw wrong();
      return new Date(time).toISOString();
    }
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      if (!isGuid(text)) throw wrong();
      return { table: target ?? '', id: normalizeGuid(text) };
    default:
      throw wrong();
  }
}

/**
 * The key's values of a row as one string, comparable the way SQL Server's case-insensitive
 * collation compares them (strings in any case are the same key); undefined when a key column is
 * empty, which Dataverse's filtered unique index does not cover (docs/emulator-decisions.md).
 */
export function keyTuple(table: TableDef, key: KeyDef, row: Row): string | undefined {
  const parts: unknown[] = [];
  for (const name of key.attributes) {
    const attribute = table.attributes.get(name);
    const value = attribute ? comparableValue(attribute, row[name]) : null;
    if (value === null) return undefined;
    parts.push(value);
  }
  return JSON.stringify(parts);
}

/** The key's unique index, which the store keeps up to date: key values (keyTuple) → row id. */
export function alternateKeyIndex(store: Store, table: TableDef, key: KeyDef): ReadonlyMap<string, string> {
  return store.uniqueIndex(table.logicalName, key, (row) => keyTuple(table, key, row));
}

/** The row whose key columns hold these values, if any. */
export function findByAlternateKey(store: Store, table: TableDef, match: AlternateKeyValues): Row | undefined {
  const wanted = keyTuple(table, match.key, match.values);
  if (wanted === undefined) return undefined;
  const id = alternateKeyIndex(store, table, match.key).get(wanted);
  return id === undefined ? undefined : store.get(table.logicalName, id);
}
