import { boundaries, parseContentType } from './content-type.js';
import { readHttpRequest, type HttpRequestPart } from './http-request-reader.js';
import { readMultipart, type MimePart } from './multipart-reader.js';
import { batchSyntax, MAX_BATCH_REQUESTS } from './syntax-error.js';

/** One request of a batch, as read from its `application/http` part. */
export interface BatchOperation extends HttpRequestPart {
  /** The part's `Content-ID`, which later requests of its change set reference as `$<id>`. */
  contentId?: string;
}

export type BatchItem =
  | { kind: 'operation'; operation: BatchOperation }
  | { kind: 'changeset'; operations: BatchOperation[] };

const CHANGE_SET_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads a whole $batch body into its requests and change sets, checking everything the service
 * checks while reading (docs/dataverse-web-api.md §4.3): the media type and boundary, the parts' headers,
 * the request lines, no GET in a change set, no nesting, at most 1,000 requests. Reading the whole
 * body first means a broken body fails the batch before any of its requests runs.
 */
export function readBatch(contentTypeHeader: string | undefined, body: string): BatchItem[] {
  if (!contentTypeHeader?.trim()) throw batchSyntax.missingContentType();
  const contentType = parseContentType(contentTypeHeader);
  if (contentType.mediaType !== 'multipart/mixed') throw batchSyntax.notMultipart();
  const [boundary, ...more] = boundaries(contentType);
  if (boundary === undefined) throw batchSyntax.missingBoundary();
  if (more.length > 0) throw batchSyntax.changeSetBoundary(contentTypeHeader);

  const parts = readMultipart(body, boundary);
  if (parts.length > MAX_BATCH_REQUESTS) throw batchSyntax.tooManyParts();
  const items = parts.map(readItem);
  // ODataLib counts parts and change set operations separately; the documented limit is 1,000 requests in all.
  const requests = items.reduce((total, item) => total + (item.kind === 'operation' ? 1 : item.operations.length), 0);
  if (requests > MAX_BATCH_REQUESTS) throw batchSyntax.tooManyParts();
  return items;
}

function readItem(part: MimePart): BatchItem {
  const header = part.headers.get('content-type');
  if (header === undefined) throw batchSyntax.missingPartContentType();
  const contentType = parseContentType(header);
  if (contentType.mediaType === 'application/http') return { kind: 'operation', operation: readOperation(part) };
  if (contentType.mediaType !== 'multipart/mixed') throw batchSyntax.partContentType(header);

  const [boundary, ...more] = boundaries(contentType);
  if (boundary === undefined || more.length > 0) throw batchSyntax.changeSetBoundary(header);
  const inner = readMultipart(part.content, boundary);
  if (inner.length > MAX_BATCH_REQUESTS) throw batchSyntax.tooManyChangeSetOperations();
  const operations = inner.map(readChangeSetOperation);
  const seen = new Set<string>();
  for (const { contentId } of operations) {
    if (contentId === undefined) continue;
    if (seen.has(contentId)) throw batchSyntax.duplicateContentId(contentId);
    seen.add(contentId);
  }
  // Headers on the change set's own part (impersonation included) are not request headers: ignored, as Dataverse does.
  return { kind: 'changeset', operations };
}

function readChangeSetOperation(part: MimePart): BatchOperation {
  const header = part.headers.get('content-type');
  if (header === undefined) throw batchSyntax.missingPartContentType();
  const mediaType = parseContentType(header).mediaType;
  if (mediaType === 'multipart/mixed') throw batchSyntax.nestedChangeSet();
  if (mediaType !== 'application/http') throw batchSyntax.partContentType(header);
  const operation = readOperation(part);
  if (!CHANGE_SET_METHODS.has(operation.method.toUpperCase())) throw batchSyntax.methodInChangeSet(operation.method);
  return operation;
}

function readOperation(part: MimePart): BatchOperation {
  if (part.headers.get('content-transfer-encoding')?.toLowerCase() !== 'binary') throw batchSyntax.transferEncoding();
  const request = readHttpRequest(part.content);
  if (/(?:^|\/)\$batch\/?$/.test(request.url.split('?')[0] ?? '')) throw batchSyntax.nestedBatch();
  const contentId = part.headers.get('content-id');
  return contentId === undefined ? request : { ...request, contentId };
}
