import { MAX_PAGE_SIZE } from '../../dataverse/facts.js';
import { UsageError } from '../../errors.js';
import { parseRecordKey, type RecordKey } from '../../dataverse/record-key.js';
import { quote } from '../../output/terminal-text.js';

/** The flags of `dvas get`, as commander hands them over. */
export interface GetFlags {
  select?: string;
  filter?: string;
  orderby?: string;
  top?: string;
  expand?: string;
  all?: boolean;
  pageSize?: string;
  count?: boolean;
  formatted?: boolean;
  fetchxml?: string;
}

/** What to read, checked: nothing here has been sent yet. */
export interface GetRequest {
  table: string;
  /** A GUID or an alternate key, parsed (record-key.ts). */
  id: RecordKey | undefined;
  select: string[] | undefined;
  filter: string | undefined;
  orderby: string | undefined;
  top: number | undefined;
  expand: string | undefined;
  all: boolean;
  pageSize: number | undefined;
  count: boolean;
  /** Keep the formatted values and lookup annotations in JSON. */
  formatted: boolean;
  /** `--fetchxml FILE|-`: where the FetchXML query is (read when the command runs). */
  fetchXml: string | undefined;
}

/** Options that only make sense for a query over many rows, not for one record by id. */
const COLLECTION_ONLY = [
  ['filter', '--filter'],
  ['orderby', '--orderby'],
  ['top', '--top'],
  ['all', '--all'],
  ['pageSize', '--page-size'],
  ['count', '--count'],
] as const;

/** OData query flags: a FetchXML query carries its own columns, filter, order, joins and top. */
const ODATA_ONLY = [
  ['select', '--select'],
  ['filter', '--filter'],
  ['orderby', '--orderby'],
  ['top', '--top'],
  ['expand', '--expand'],
] as const;

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks `dvas get` arguments and flags before anything is sent: every problem is a usage error
 * (exit 2) naming the flag.
 */
export function parseGetRequest(table: string, id: string | undefined, flags: GetFlags): GetRequest {
  if (id !== undefined) {
    const given = COLLECTION_ONLY.find(([key]) => flags[key] !== undefined && flags[key] !== false);
    if (given) {
      throw new UsageError(`${given[1]} applies to a query over many rows, not to one record by id.`, {
        hint: `Drop the id to query the table, or drop ${given[1]}.`,
      });
    }
  }
  if (flags.fetchxml !== undefined) checkFetchXmlFlags(id, flags);
  const top = flags.top === undefined ? undefined : wholeNumber(flags.top, '--top', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = flags.pageSize === undefined ? undefined : wholeNumber(flags.pageSize, '--page-size', 1, MAX_PAGE_SIZE);
  if (top !== undefined && flags.all) {
    throw new UsageError('--top and --all contradict each other: --top limits the rows, --all reads every page.');
  }
  if (top !== undefined && pageSize !== undefined) {
    // Dataverse ignores $top when a page size is preferred (docs/dataverse-web-api.md §3.2).
    throw new UsageError('--top cannot be combined with --page-size: Dataverse ignores $top when a page size is set.', {
      hint: 'Use --top for the first N rows, or --page-size with --all to read every row N at a time.',
    });
  }
  return {
    table,
    id: id === undefined ? undefined : parseRecordKey(id),
    select: flags.select === undefined ? undefined : columnList(flags.select),
    filter: nonEmpty(flags.filter, '--filter'),
    orderby: nonEmpty(flags.orderby, '--orderby'),
    top,
    expand: nonEmpty(flags.expand, '--expand'),
    all: flags.all === true,
    pageSize,
    count: flags.count === true,
    formatted: flags.formatted === true,
    fetchXml: flags.fetchxml === undefined ? undefined : nonEmpty(flags.fetchxml, '--fetchxml'),
  };
}

function checkFetchXmlFlags(id: string | undefined, flags: GetFlags): void {
  if (id !== undefined) {
    throw new UsageError('--fetchxml runs a query over many rows, not a read of one record by id.', { hint: 'Drop the id, or drop --fetchxml.' });
  }
  const given = ODATA_ONLY.find(([key]) => flags[key] !== undefined);
  if (given) {
    throw new UsageError(`${given[1]} is an OData query option; a FetchXML query says that itself.`, {
      hint: `Put it in the FetchXML (attribute, filter, order, link-entity, top), or drop --fetchxml.`,
    });
  }
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive whole number' : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, not ${quote(value)}.`);
  }
  return number;
}

function columnList(raw: string): string[] {
  const columns = raw.split(',').map((column) => column.trim());
  const bad = columns.find((column) => !COLUMN_NAME.test(column));
  if (bad !== undefined) {
    throw new UsageError(`--select takes column names separated by commas; ${quote(bad)} is not one.`, {
      hint: 'Lookup columns go by their _<name>_value property, e.g. --select name,_primarycontactid_value.',
    });
  }
  return columns;
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`${flag} is empty.`);
  return value;
}
