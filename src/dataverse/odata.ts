import { UsageError } from '../errors.js';
import { GUID_SOURCE } from './facts.js';
import { keyPredicate, parseRecordKey, type RecordKey } from './record-key.js';
import { quote } from '../output/terminal-text.js';

/** A row as the Web API returns it: column values plus OData annotations (`@odata.etag`…). */
export type DataverseRecord = Record<string, unknown>;

export type QueryValue = string | number | boolean | undefined;

const ENTITY_SET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a name that goes into the URL path, so that it cannot add segments or a query. */
export function entitySetSegment(entitySet: string): string {
  if (!ENTITY_SET_NAME.test(entitySet)) throw new UsageError(`${quote(entitySet)} is not a table name (letters, digits and _ only).`);
  return entitySet;
}

/**
 * `accounts(<guid>)`, or `accounts(accountnumber='A-1')` with the key's values percent-encoded
 * (record-key.ts): a key given as text is parsed first, so a malformed one is exit 2, never a path.
 */
export function recordPath(entitySet: string, key: RecordKey | string): string {
  const parsed = typeof key === 'string' ? parseRecordKey(key) : key;
  return `${entitySetSegment(entitySet)}(${keyPredicate(parsed)})`;
}

/**
 * The query string, percent-encoded but keeping the characters OData queries are made of
 * readable ($ , : / @), so that --dry-run and --verbose show what people write.
 */
export function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${readable(encodeURIComponent(name))}=${readable(encodeURIComponent(String(value)))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function readable(encoded: string): string {
  return encoded.replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%40/g, '@');
}

/** A string literal in a $filter: single quotes doubled, as OData escapes them. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const ENTITY_ID = new RegExp(`\\((${GUID_SOURCE})\\)\\s*$`);

/** The id in an `OData-EntityId` header: `https://org/api/data/v9.2/accounts(<guid>)` → `<guid>`. */
export function idFromEntityId(entityId: string | undefined): string | undefined {
  return entityId ? ENTITY_ID.exec(entityId)?.[1]?.toLowerCase() : undefined;
}

/** `odata.include-annotations="…"`: formatted values, lookup names… */
export function includeAnnotations(annotations: string): string {
  return `odata.include-annotations="${annotations.replace(/"/g, '')}"`;
}

export function isRecord(value: unknown): value is DataverseRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
