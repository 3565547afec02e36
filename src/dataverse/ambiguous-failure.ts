import { failedBeforeSending, NetworkFailureError } from '../http/network-failure.js';
import { DataverseApiError } from './errors.js';
import { ErrorCode, isErrorCode } from './facts.js';

/** Statuses after which a write may or may not have been carried out (a gateway or the service gave up answering). */
const AMBIGUOUS_STATUSES = new Set([502, 503, 504]);

/**
 * Whether a write that failed this way may nevertheless have been carried out: the connection
 * closed or timed out after the request was sent, or a gateway answered 502/503/504 in place of
 * the service. After such a failure the only way to know is to look (docs/bulk-create.md).
 * A refused connection, an unknown host, or any other answer from Dataverse is not ambiguous.
 */
export function isAmbiguousWriteFailure(error: unknown): boolean {
  if (error instanceof NetworkFailureError) return error.transient && !failedBeforeSending(error.code);
  if (error instanceof DataverseApiError) return AMBIGUOUS_STATUSES.has(error.status);
  return false;
}

/** "Cannot insert duplicate key." (CreateMultiple) or 412 0x80040237 (a single create): the key is taken. */
export function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof DataverseApiError)) return false;
  return isErrorCode(error.code, ErrorCode.DuplicateRecord) || /cannot insert duplicate key/i.test(error.serviceMessage);
}
