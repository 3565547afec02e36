import type { EmulatorCore } from '../core.js';
import type { ApiVersion } from '../http/context.js';
import { errors, type ODataError } from '../http/errors.js';
import { errorAnswer } from '../http/respond.js';
import type { Dispatch, EmulatorResponse } from '../http/types.js';
import type { BatchItem, BatchOperation } from './batch-reader.js';
import { ContentIdReferenceError, resolveBody, resolveUrl, type ContentIdUrls } from './content-id.js';
import { forwardedHeaders } from './inner-headers.js';
import type { ResponseItem, ResponsePart } from './multipart-writer.js';

export interface BatchOptions {
  /** Answers each inner request as a top-level one (passed in: the dispatcher routes to the batch handler). */
  dispatch: Dispatch;
  /** The API version of the $batch URL: relative request URLs resolve against its service root. */
  version: ApiVersion;
  /** The $batch request's own headers (lower-case names). */
  outerHeaders: Readonly<Record<string, string>>;
  /** `Prefer: odata.continue-on-error` on the $batch request. */
  continueOnError: boolean;
}

export interface BatchOutcome {
  items: ResponseItem[];
  /** Set when processing stopped at a failed request: its status becomes the batch's (the service answers so). */
  stoppedWithStatus?: number;
}

/** A GET inside a batch may be longer than a plain GET (docs/dataverse-web-api.md §0). */
const MAX_BATCH_URL = 65_536;

/**
 * Runs a batch's requests in order, each through the dispatcher exactly as a top-level request
 * (authentication, impersonation, routing). A change set runs in one store transaction and is
 * undone as a whole when one of its requests fails; a request outside change sets runs in its own,
 * so a failed one leaves nothing half-written either. By default processing stops at the first
 * failure; with continue-on-error every item runs and carries its own status.
 */
export function executeBatch(core: EmulatorCore, items: readonly BatchItem[], options: BatchOptions): BatchOutcome {
  const results: ResponseItem[] = [];
  for (const item of items) {
    const outcome =
      item.kind === 'operation'
        ? atomically(core, () => [succeeded(runOperation(item.operation, new Map(), options))])
        : runChangeSet(core, item.operations, options);
    if ('failure' in outcome) {
      // A failed change set is answered by its failing request alone, not by a nested change set response.
      results.push({ kind: 'response', part: outcome.failure });
      if (!options.continueOnError) return { items: results, stoppedWithStatus: outcome.failure.response.status };
    } else if (item.kind === 'operation') {
      results.push(...outcome.parts.map((part): ResponseItem => ({ kind: 'response', part })));
    } else {
      results.push({ kind: 'changeset', parts: outcome.parts });
    }
  }
  return { items: results };
}

function runChangeSet(core: EmulatorCore, operations: readonly BatchOperation[], options: BatchOptions) {
  return atomically(core, () => {
    const entityUrls = new Map<string, string>();
    return operations.map((operation) => {
      const part = succeeded(runOperation(operation, entityUrls, options));
      const entityUrl = header(part.response, 'OData-EntityId') ?? header(part.response, 'Location');
      if (operation.contentId !== undefined && entityUrl !== undefined) entityUrls.set(operation.contentId, entityUrl);
      return part;
    });
  });
}

/** Thrown inside a transaction to undo it; carries the answer of the request that failed. */
class RolledBack extends Error {
  constructor(readonly failure: ResponsePart) {
    super('The batch unit failed and was rolled back.');
  }
}

/** Passes a successful answer through; a failed one ends (and undoes) its unit. */
function succeeded(part: ResponsePart): ResponsePart {
  if (part.response.status >= 400) throw new RolledBack(part);
  return part;
}

/**
 * Runs one unit (a change set, or a single request) in a store transaction. The first failed
 * answer (see `succeeded`) undoes every write of the unit, and the created-row counters with
 * them, so the counters only ever count rows that exist.
 */
function atomically(core: EmulatorCore, work: () => ResponsePart[]): { parts: ResponsePart[] } | { failure: ResponsePart } {
  const createdBefore = { ...core.stats.rowsCreated };
  try {
    return { parts: core.store.transaction(work) };
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    restoreCounters(core.stats.rowsCreated, createdBefore);
    return { failure: error.failure };
  }
}

function runOperation(operation: BatchOperation, entityUrls: ContentIdUrls, options: BatchOptions): ResponsePart {
  const answer = (response: EmulatorResponse): ResponsePart =>
    operation.contentId === undefined ? { response } : { response, contentId: operation.contentId };
  // An error the batch answers itself (not a handler's), shaped like the dispatcher's.
  const fail = (error: ODataError) => answer(errorAnswer(error, operation.headers.prefer));
  let target: string;
  let body: string;
  try {
    target = toTarget(resolveUrl(operation.url, entityUrls), options.version);
    if (operation.bareLf && operation.body !== '') return fail(errors.batchStreamNotReadable(entitySetOf(target)));
    body = resolveBody(operation.body, entityUrls);
  } catch (error) {
    if (error instanceof ContentIdReferenceError) return fail(errors.contentIdNotFound(error.reference));
    throw error;
  }
  const headers = forwardedHeaders(operation.headers, options.outerHeaders);
  return answer(withLocation(options.dispatch({ method: operation.method, target, headers, body }, { maxUrlLength: MAX_BATCH_URL })));
}

/** Absolute URLs lose their origin; `/…` paths stay; anything else is relative to the batch's service root. */
function toTarget(url: string, version: ApiVersion): string {
  const absolute = /^https?:\/\/[^/?#]*(.*)$/is.exec(url);
  if (absolute) return absolute[1] || '/';
  if (url.startsWith('/')) return url;
  return `/api/data/${version}/${url}`;
}

/** The first resource segment (`accounts` of `/api/data/v9.2/accounts(…)`), as payload errors name it. */
function entitySetOf(target: string): string {
  const path = target.replace(/^\/api\/data\/v\d+\.\d+\//, '');
  return /^[^/(?]*/.exec(path)?.[0] ?? '';
}

/** Batch answers to creates carry `Location` next to `OData-EntityId`, as the service's do. */
function withLocation(response: EmulatorResponse): EmulatorResponse {
  const entityId = header(response, 'OData-EntityId');
  if (entityId === undefined || header(response, 'Location') !== undefined) return response;
  return { ...response, headers: { ...response.headers, Location: entityId } };
}

function header(response: EmulatorResponse, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(response.headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

function restoreCounters(counters: Record<string, number>, snapshot: Readonly<Record<string, number>>): void {
  for (const table of Object.keys(counters)) {
    const before = snapshot[table];
    if (before === undefined) delete counters[table];
    else counters[table] = before;
  }
}
