import { isAmbiguousWriteFailure, isDuplicateKey } from '../../../dataverse/ambiguous-failure.js';
import { DataverseApiError } from '../../../dataverse/errors.js';
import { ErrorCode, isErrorCode } from '../../../dataverse/facts.js';
import { CliError } from '../../../errors.js';
import { ExitCode } from '../../../exit-codes.js';
import { failedBeforeSending, NetworkFailureError } from '../../../http/network-failure.js';

/**
 * What a failed request means for its rows (docs/bulk-create.md):
 * - `throttled`: a 429; nothing was carried out; wait for Retry-After and send again;
 * - `in-doubt`: it may have been carried out (a dropped connection after sending, a timeout, a
 *   502/503/504), or a key was taken (CreateMultiple's "Cannot insert duplicate key."): look for
 *   the rows' ids, then send the rest;
 * - `not-sent`: it never reached the service (connection refused): send again;
 * - `unsupported`: the table has no CreateMultiple: fall back to single creates;
 * - `user`: the user may not create rows in this table at all: every row of theirs fails, once explained;
 * - `rows`: something in the rows: bisect until the failing rows stand alone;
 * - `fatal`: the run cannot go on (sign-in refused, an untrusted certificate, a bug).
 */
export type FailureKind = 'throttled' | 'in-doubt' | 'not-sent' | 'unsupported' | 'user' | 'rows' | 'fatal';

/** "is missing prvCreateAccount privilege": the table's own create privilege, the same for every row of a user. */
const MISSING_CREATE = /is missing prvCreate[A-Za-z0-9_]* privilege/;

export function failureKind(error: unknown): FailureKind {
  if (error instanceof DataverseApiError) {
    if (error.status === 429) return 'throttled';
    if (isDuplicateKey(error) || isAmbiguousWriteFailure(error)) return 'in-doubt';
    if (isErrorCode(error.code, ErrorCode.MessageNotSupported)) return 'unsupported';
    if (error.status === 401) return 'fatal';
    if (error.exitCode === ExitCode.PrivilegeDenied) {
      // A privilege denied on something a row links to (prvAppendTo…) is that row's; the table's
      // create privilege, acting on behalf, a disabled user are the user's.
      return isErrorCode(error.code, ErrorCode.PrivilegeDenied) && !MISSING_CREATE.test(error.serviceMessage) ? 'rows' : 'user';
    }
    return 'rows';
  }
  if (error instanceof NetworkFailureError) {
    if (isAmbiguousWriteFailure(error)) return 'in-doubt';
    if (error.transient && failedBeforeSending(error.code)) return 'not-sent';
    return 'fatal';
  }
  if (error instanceof CliError) return 'fatal';
  return 'fatal';
}

/** Whether a 429 is for combined execution time (then the concurrency is lowered too). */
export function isExecutionTimeLimit(error: unknown): boolean {
  return error instanceof DataverseApiError && isErrorCode(error.code, ErrorCode.ExecutionTimeLimit);
}

/** The code and message a failed row's report line carries. */
export function rowFailure(error: unknown): { code: string | null; message: string } {
  if (error instanceof DataverseApiError) return { code: error.code ?? null, message: error.message };
  return { code: null, message: error instanceof Error ? error.message : String(error) };
}
