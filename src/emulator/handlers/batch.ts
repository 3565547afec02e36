import { readBatch, type BatchItem } from '../batch/batch-reader.js';
import { executeBatch } from '../batch/execute.js';
import { writeBatchResponse } from '../batch/multipart-writer.js';
import { BatchSyntaxError } from '../batch/syntax-error.js';
import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { baseHeaders } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';

/**
 * `POST …/$batch` (docs/dataverse-web-api.md §4.3). The body is read whole first, so a broken one fails
 * the batch with 400 before anything runs; then every request runs through the dispatcher. The
 * batch stays one HTTP request (one for service protection), and stays synchronous, so no other
 * request can interleave with a change set's transaction.
 */
export function batch(ctx: RequestContext): EmulatorResponse {
  let items: BatchItem[];
  try {
    items = readBatch(ctx.request.headers['content-type'], ctx.request.body);
  } catch (error) {
    if (error instanceof BatchSyntaxError) throw errors.malformedBatch(error.message);
    throw error;
  }
  const continueOnError = ctx.prefer.continueOnError;
  const outcome = executeBatch(ctx.core, items, {
    dispatch: ctx.dispatch,
    version: ctx.version,
    outerHeaders: ctx.request.headers,
    continueOnError,
  });
  const written = writeBatchResponse(outcome.items);
  const headers: Record<string, string> = { ...baseHeaders(), 'Content-Type': written.contentType };
  if (continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
  return { status: outcome.stoppedWithStatus ?? 200, headers, body: written.body };
}
