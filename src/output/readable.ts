import type { DataverseRecord } from '../dataverse/odata.js';
import { Annotation, annotationOf, GUID_PATTERN } from '../dataverse/facts.js';
import { isRecord } from '../dataverse/odata.js';
import type { Cell, Column } from './columns.js';

/**
 * What tables and CSV show for a row: what a person reads in the Dataverse apps. The service is
 * asked for these annotations whenever the output is for people, and they are never printed raw.
 */
export const READABLE_ANNOTATIONS = [Annotation.FormattedValue, Annotation.LookupLogicalName].join(',');

const LOOKUP_PROPERTY = /^_(.+)_value$/;

/** Whether a property name is an OData annotation (`@odata.etag`, `name@OData.Community…`). */
export function isAnnotation(property: string): boolean {
  return property.includes('@');
}

/** The row without any OData annotation, in expanded rows too: what `-o json` prints unless --formatted. */
export function withoutAnnotations(record: DataverseRecord): DataverseRecord {
  const plain: DataverseRecord = {};
  for (const [property, value] of Object.entries(record)) {
    if (isAnnotation(property)) continue;
    plain[property] = stripNested(value);
  }
  return plain;
}

function stripNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNested);
  return isRecord(value) ? withoutAnnotations(value) : value;
}

/** A column header without the Web API's lookup noise: `_parentaccountid_value` → `parentaccountid`. */
export function columnHeader(property: string): string {
  return LOOKUP_PROPERTY.exec(property)?.[1] ?? property;
}

/**
 * A cell as a person reads it: the service's formatted value when it sent one (a lookup's name,
 * an option's label, a date in the user's format), else the value itself; an expanded row by its
 * readable values, an expanded collection by its rows' separated with "; ".
 */
export function readableCell(record: DataverseRecord, property: string): Cell {
  const formatted = record[annotationOf(property, Annotation.FormattedValue)];
  if (typeof formatted === 'string') return formatted;
  return readableValue(record[property]);
}

function readableValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => (isRecord(item) ? summary(item) : String(readableValue(item) ?? ''))).join('; ');
  return isRecord(value) ? summary(value) : JSON.stringify(value);
}

/**
 * An expanded row in one cell: its readable values other than ids (`createdby($select=fullname)`
 * shows the name), or its id when it has nothing else.
 */
function summary(record: DataverseRecord): string {
  const properties = Object.keys(record).filter((property) => !isAnnotation(property));
  const texts = properties.map((property) => readableCell(record, property)).filter((cell) => cell !== null && cell !== '');
  const named = texts.filter((cell) => !(typeof cell === 'string' && GUID_PATTERN.test(cell)));
  return (named.length > 0 ? named : texts).map(String).join(', ');
}

/**
 * The properties to show as columns: those asked for with --select first, in that order, then
 * whatever else the rows hold (the primary key the service always adds, expanded rows), in the
 * service's order. Annotations never become columns.
 */
export function propertiesOf(records: readonly DataverseRecord[], selected: readonly string[] = []): string[] {
  const seen = new Set<string>(selected);
  const properties = [...selected];
  for (const record of records) {
    for (const property of Object.keys(record)) {
      if (isAnnotation(property) || seen.has(property)) continue;
      seen.add(property);
      properties.push(property);
    }
  }
  return properties;
}

/** Columns for tables and CSV over the given properties. */
export function readableColumns(properties: readonly string[]): Column<DataverseRecord>[] {
  return properties.map((property) => ({
    header: columnHeader(property),
    value: (record: DataverseRecord) => readableCell(record, property),
    // Ids are dimmed on a terminal, as gh dims them: the names around them are what people scan.
    paint: (text, chalk) => (GUID_PATTERN.test(text) ? chalk.dim(text) : text),
    // Keys (accountid, activityid…) stay whole on a narrow terminal; names and lookups shown by
    // name may be cut short.
    shrink: !property.endsWith('id'),
  }));
}

/**
 * A row a write returned, as `get` shows one record: its non-empty columns, readable, under plain
 * headers (`_ownerid_value` → ownerid, by name), as lines of another view (create's, update's);
 * a header that view already shows (createdby under --as) is not repeated.
 */
export function returnedRowFields<View>(record: DataverseRecord, shownHeaders: Iterable<string>): Column<View>[] {
  const shown = new Set(shownHeaders);
  const fields: Column<View>[] = [];
  for (const column of readableColumns(propertiesOf([record]))) {
    const value = column.value(record);
    if (shown.has(column.header) || value === null || value === '') continue;
    shown.add(column.header);
    fields.push({ header: column.header, value: () => value, paint: (text, chalk) => column.paint?.(text, chalk, record) ?? text });
  }
  return fields;
}
