import { errors } from '../http/errors.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { edmTypeOf } from '../odata/edm.js';
import type { ColumnValue } from '../store/types.js';
import { jsonNodeKind } from './json-node.js';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A date (`2026-01-05`) or a date and time with an offset: what Edm.DateTimeOffset accepts from JSON. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Reads one JSON value as a column of `table`, the way the service's payload reader and platform
 * validation do: a value of the wrong JSON type is a payload error naming the Edm type; a string
 * over the column's length and a choice value outside its options are validation errors. Null
 * clears a column.
 */
export function convertColumnValue(table: TableDef, attribute: AttributeDef, raw: unknown): ColumnValue {
  if (raw === null) return null;
  if (typeof raw === 'object') throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(raw), 'PrimitiveValue');
  const notConvertible = () =>
    errors.valueNotConvertible(table.entitySetName, typeof raw === 'string' ? raw : JSON.stringify(raw), edmTypeOf(attribute));

  switch (attribute.type) {
    case 'String':
    case 'Memo':
    case 'EntityName':
      if (typeof raw !== 'string') throw notConvertible();
      if (attribute.maxLength !== undefined && raw.length > attribute.maxLength) {
        throw errors.stringTooLong(attribute.logicalName, table.logicalName, attribute.maxLength);
      }
      return raw;
    case 'Integer':
      if (!isInt32(raw)) throw notConvertible();
      return raw;
    case 'Picklist':
    case 'State':
    case 'Status':
      if (!isInt32(raw)) throw notConvertible();
      if (attribute.options && !(raw in attribute.options)) {
        throw errors.optionOutOfRange(raw, attribute.logicalName, table.logicalName, Object.keys(attribute.options).map(Number));
      }
      return raw;
    case 'BigInt':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw notConvertible();
      return raw;
    case 'Decimal':
    case 'Money':
    case 'Double':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw notConvertible();
      return raw;
    case 'Boolean':
      if (typeof raw !== 'boolean') throw notConvertible();
      return raw;
    case 'DateTime':
      if (typeof raw !== 'string' || !DATE_TIME.test(raw) || Number.isNaN(Date.parse(raw))) throw notConvertible();
      return new Date(raw).toISOString();
    case 'Uniqueidentifier':
      if (!isGuid(raw)) throw notConvertible();
      return normalizeGuid(raw);
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      // Lookups are written through navigation properties (`x@odata.bind`), never as plain values.
      throw new Error(`Internal: lookup column ${table.logicalName}.${attribute.logicalName} read as a plain value.`);
  }
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}
