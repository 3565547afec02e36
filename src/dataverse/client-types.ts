import type { DataverseRecord, QueryValue } from './odata.js';
import type { HttpMethod } from './pipeline.js';

/**
 * The shapes of the Dataverse client's calls and answers (client.ts), apart from the client
 * itself, so that code which only passes them around need not load the client.
 */

/** One call to the Web API. */
export interface DataverseRequest {
  method: HttpMethod;
  /** Relative to the Web API root (`WhoAmI`, `accounts(<id>)`), or an absolute URL on the environment (an `@odata.nextLink`). */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent exactly as given instead of `body` (`dvas api`); its Content-Type goes in `headers` unless it is JSON. */
  text?: string;
  /** `Prefer` preferences, e.g. `return=representation`. */
  prefer?: readonly string[];
  /** Run as the signed-in identity even when the client impersonates (e.g. to resolve --as). */
  asCaller?: boolean;
  /** Safe to send twice although the method says otherwise (a read-only action). */
  idempotent?: boolean;
}

export interface DataverseResponse {
  status: number;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; undefined when there is none (204). */
  body: unknown;
  /** The body exactly as the service sent it. */
  text: string;
}

export interface WhoAmIResult {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
}

export interface RetrieveOptions {
  select?: readonly string[];
  expand?: string;
  /** e.g. `OData.Community.Display.V1.FormattedValue`, or `*`. */
  annotations?: string;
  asCaller?: boolean;
}

export interface CollectionQuery {
  select?: readonly string[];
  filter?: string;
  orderby?: string;
  top?: number;
  expand?: string;
  count?: boolean;
}

export interface RetrieveMultipleOptions {
  /** Rows per page (`Prefer: odata.maxpagesize`). */
  maxPageSize?: number;
  /** Follow `@odata.nextLink` to the last page. */
  all?: boolean;
  annotations?: string;
  asCaller?: boolean;
}

export interface RecordPage {
  records: DataverseRecord[];
  /** `@odata.count`, when asked for with `count`. */
  count?: number;
  /** Where the next page is, when not all pages were read. */
  nextLink?: string;
  /** A FetchXML page followed by more rows that were not read (`@Microsoft.Dynamics.CRM.morerecords`). */
  moreRecords?: boolean;
}

export interface FetchXmlOptions {
  /** Follow the paging cookies to the last page. */
  all?: boolean;
  /** Add `$count=true` (the same as `returntotalrecordcount`, count-rows). */
  count?: boolean;
  annotations?: string;
  asCaller?: boolean;
}

export interface CreateOptions {
  /** Ask for the created row back (`Prefer: return=representation`) instead of just its id. */
  returnRepresentation?: boolean;
  select?: readonly string[];
  /** With returnRepresentation: annotations to return with the row (formatted values for tables). */
  annotations?: string;
  /**
   * The table's key column (`accountid`). With return=representation the service sends no
   * OData-EntityId, so the id is read from the row; without this, from entityDefinition().
   */
  primaryIdAttribute?: string;
  /**
   * The id the body gives the row (dvas assigns one before sending): the answer to fall back on
   * when the service's answer names no id dvas can read.
   */
  id?: string;
}

export interface CreateResult {
  id: string;
  /** The row, with return=representation. */
  record?: DataverseRecord;
}

/** What dvas needs to know about a table. */
export interface EntityDefinition {
  LogicalName: string;
  EntitySetName: string;
  PrimaryIdAttribute: string;
  PrimaryNameAttribute: string | null;
}
