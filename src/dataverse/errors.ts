import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { ErrorCode, isErrorCode } from './facts.js';
import { sanitizeHeaders, sanitizeUrl } from '../http/sanitizer.js';
import { isIdempotent, type PipelineRequest, type PipelineResponse } from './pipeline.js';
import { parseRetryAfter } from './retry-after.js';

/** What the service said, from `{"error":{"code","message", "@…annotations"}}`. */
export interface ODataErrorBody {
  code: string;
  message: string;
  /** Error-detail annotations (present with Prefer: odata.include-annotations), all strings. */
  annotations: Record<string, string>;
}

/** Parses the OData error envelope; undefined when the body is not one (HTML from a proxy, empty…). */
export function parseODataError(body: string): ODataErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  const { code, message, ...rest } = parsed.error;
  const annotations: Record<string, string> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (name.startsWith('@') && typeof value === 'string') annotations[name] = value;
  }
  return { code: typeof code === 'string' ? code : '', message: typeof message === 'string' ? message : '', annotations };
}

/** A request and its answer as an error may show them: sanitized at construction. */
export interface ExchangeSummary {
  method: string;
  url: string;
  requestHeaders: Array<[string, string]>;
  responseHeaders: Array<[string, string]>;
  /**
   * The rows a JSON body bound to (`"parentcustomerid_account@odata.bind": "/accounts(…)"`): the
   * rows an AppendTo denial is about, which the URL does not name. Paths only, never values.
   */
  bindings?: string[];
}

/**
 * Dataverse answered with an error status. `message` is one sentence for people; `code` is the
 * Dataverse error code (0x80040220…), `status` the HTTP status, `requestId` what Microsoft
 * support asks for. The exchange is kept (sanitized) for --verbose.
 */
export class DataverseApiError extends CliError {
  override readonly status: number;
  readonly requestId: string | undefined;
  /** How long the service asked us to wait (429/503), when it said. */
  readonly retryAfterMs: number | undefined;
  /** The service's own message, verbatim. */
  readonly serviceMessage: string;
  readonly annotations: Record<string, string>;
  readonly exchange: ExchangeSummary;
  /** The answer to a repeat of the request, an earlier attempt of which may have been carried out. */
  readonly repeated: boolean;

  constructor(
    message: string,
    fields: {
      status: number;
      code: string | undefined;
      exitCode: ExitCode;
      hint: string | undefined;
      requestId: string | undefined;
      retryAfterMs: number | undefined;
      serviceMessage: string;
      annotations: Record<string, string>;
      exchange: ExchangeSummary;
      repeated?: boolean;
    },
  ) {
    super(message, {
      exitCode: fields.exitCode,
      status: fields.status,
      detail: describeExchange(fields.status, fields.exchange),
      ...(fields.hint === undefined ? {} : { hint: fields.hint }),
      ...(fields.code === undefined ? {} : { code: fields.code }),
    });
    this.name = 'DataverseApiError';
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
    this.serviceMessage = fields.serviceMessage;
    this.annotations = fields.annotations;
    this.exchange = fields.exchange;
    this.repeated = fields.repeated === true;
  }
}

/** Error codes that mean "the identity (or the user acted as) may not do this" → exit 5. */
const PRIVILEGE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ErrorCode.PrivilegeDenied,
  ErrorCode.CannotActOnBehalfOfAnotherUser,
  ErrorCode.UserDisabled,
  ErrorCode.PrincipalPrivilegeDenied,
  ErrorCode.UserNotAssignedRoles,
  ErrorCode.UnManagedIdsAccessDenied,
  ErrorCode.AccessDenied,
  ErrorCode.InvalidAccessRights,
  ErrorCode.InvalidUserAuth,
  ErrorCode.UnauthorizedAccess,
  ErrorCode.InvalidPrivilegeDepth,
  ErrorCode.InvalidPrincipal,
  ErrorCode.CannotAddOrActonBehalfAnotherUserPrivilege,
  ErrorCode.UserNotMemberOfOrg,
  ErrorCode.AdminOnlyMode,
]);

// 0x80060888 (a query option or key the Web API does not support) is a 400: bad input, not a
// missing row; the error-code drift test (test/contract/error-code-drift.test.ts) keeps this so.
const NOT_FOUND_CODES: ReadonlySet<string> = new Set<ErrorCode>([ErrorCode.ObjectDoesNotExist, ErrorCode.ResourceNotFoundForSegment]);

/** The one mapping from a Dataverse error to a dvas exit code. */
export function exitCodeFor(status: number, code: string | undefined): ExitCode {
  const normalized = code?.toLowerCase();
  if (status === 401) return ExitCode.Auth;
  if (status === 403 || (normalized !== undefined && PRIVILEGE_CODES.has(normalized))) return ExitCode.PrivilegeDenied;
  // The row's version is not the ETag the request's If-Match named (optimistic concurrency).
  if (normalized === ErrorCode.ConcurrencyVersionMismatch) return ExitCode.Conflict;
  if (status === 404 || (normalized !== undefined && NOT_FOUND_CODES.has(normalized))) return ExitCode.NotFound;
  // Only a 429 the retry policy gave up on reaches here.
  if (status === 429) return ExitCode.Throttled;
  // A 400 is Dataverse refusing what it was asked: a column that does not exist, a malformed
  // --filter, a value of the wrong type. That is bad input, as a flag dvas itself refuses is.
  if (status === 400) return ExitCode.Usage;
  return ExitCode.Failure;
}

const HINTS_BY_CODE: Partial<Record<string, string>> = {
  [ErrorCode.CannotActOnBehalfOfAnotherUser]:
    'The signed-in identity needs the prvActOnBehalfOfAnotherUser privilege through a security role assigned to it directly, such as Delegate; a role held through a team does not count.',
  [ErrorCode.UserDisabled]: 'The user you act as is disabled: pick an enabled user (dvas users) or enable this one.',
  [ErrorCode.PrivilegeDenied]:
    'Under --as, Dataverse allows only what both you and the user you act as may do, and names the user acted as even when it is you who lacks the privilege: check both with dvas roles.',
  [ErrorCode.PrincipalPrivilegeDenied]: 'The target user or team lacks a privilege it needs here: check its roles with dvas roles.',
  [ErrorCode.UserNotAssignedRoles]: 'The user has no security role: assign one in the Power Platform admin center.',
  [ErrorCode.UserNotMemberOfOrg]: 'The signed-in identity is not a user of this environment: add it (as an application user for a service principal).',
  [ErrorCode.ObjectDoesNotExist]: 'Check the id, and the table name.',
  [ErrorCode.ConcurrencyVersionMismatch]:
    'Someone changed the row since that version was read: read it again (dvas get <table> <id> --formatted -o json shows its @odata.etag) and apply the change to the row as it is now.',
  [ErrorCode.ResourceNotFoundForSegment]: 'Table and column names are case-sensitive: use the entity set name (e.g. accounts) or the logical name.',
};

/** PrivilegeDenied without --as: only the signed-in identity's roles are involved. */
const SIGNED_IN_LACKS_PRIVILEGE = 'The signed-in identity lacks the privilege the message names: check its roles with dvas roles.';

function hintFor(status: number, code: string | undefined, impersonated: boolean): string | undefined {
  // The quirk hint (the message names the user acted as) is about --as: without it, only the
  // signed-in identity's roles are involved.
  if (isErrorCode(code, ErrorCode.PrivilegeDenied) && !impersonated) return SIGNED_IN_LACKS_PRIVILEGE;
  const byCode = code ? HINTS_BY_CODE[code.toLowerCase()] : undefined;
  if (byCode) return byCode;
  if (status === 401) return 'Sign in again (dvas login), or check the profile: dvas profile show.';
  if (status === 429) return 'Dataverse service protection limits: wait a few minutes, or send fewer requests at once.';
  if (status === 503) return 'The service is unavailable: try again later.';
  return undefined;
}

/**
 * Builds the error for a response with an error status, sanitizing everything it keeps.
 * `gaveUp` says the retry policy stopped waiting for the service to let the request through.
 */
export function toApiError(
  request: PipelineRequest,
  response: PipelineResponse,
  options: { now?: number; gaveUp?: { attempts: number; waitedMs: number } } = {},
): DataverseApiError {
  const parsed = parseODataError(response.body);
  const code = parsed?.code && parsed.code !== '0x0' ? parsed.code : undefined;
  const serviceMessage = parsed?.message.trim() ?? '';
  const status = response.status;
  let message = serviceMessage ? sentence(serviceMessage) : `Dataverse answered ${status} to ${request.method} ${request.url.pathname}.`;
  if (status === 401) message = `Dataverse did not accept the access token: ${message}`;
  if (options.gaveUp) {
    const seconds = Math.round(options.gaveUp.waitedMs / 1000);
    message = `Dataverse kept throttling the request; gave up after ${options.gaveUp.attempts} attempts and ${seconds} s of waiting. ${message}`;
  }
  const sent = response.sent ?? request;
  const impersonated = sent.headers.has('CallerObjectId') || sent.headers.has('MSCRMCallerID');
  let hint = hintFor(status, code, impersonated);
  if (status === 503 && !isIdempotent(request)) {
    hint = 'The service was unavailable; the request may or may not have been carried out: check before sending it again.';
  }
  return new DataverseApiError(message, {
    status,
    code,
    exitCode: exitCodeFor(status, code),
    hint,
    requestId: response.headers['req_id'] ?? response.headers['x-ms-service-request-id'],
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], options.now ?? Date.now()),
    serviceMessage,
    annotations: parsed?.annotations ?? {},
    repeated: response.repeated === true,
    exchange: {
      method: request.method,
      url: sanitizeUrl(request.url),
      // The policies add headers after the client built the request: show what was really sent.
      requestHeaders: sanitizeHeaders(sent.headers.entries()),
      responseHeaders: sanitizeHeaders(Object.entries(response.headers)),
      bindings: boundRows(request.body),
    },
  });
}

/** The `@odata.bind` paths of a JSON object body (its top level, where a create or update binds lookups). */
function boundRows(body: string | undefined): string[] {
  if (!body || !body.trimStart().startsWith('{')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (!isRecord(parsed)) return [];
  return Object.entries(parsed).flatMap(([name, value]) => (name.endsWith('@odata.bind') && typeof value === 'string' ? [value] : []));
}

/** The exchange as --verbose shows it under the message (already sanitized). */
function describeExchange(status: number, exchange: ExchangeSummary): string {
  return [
    `> ${exchange.method} ${exchange.url}`,
    ...exchange.requestHeaders.map(([name, value]) => `> ${name}: ${value}`),
    `< ${status}`,
    ...exchange.responseHeaders.map(([name, value]) => `< ${name}: ${value}`),
  ].join('\n');
}

function sentence(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return /[.!?]$/.test(oneLine) ? oneLine : `${oneLine}.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
