import type { RequestHeaders } from '../http/headers.js';

export const HTTP_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One Dataverse request as it travels through the policies. */
export interface PipelineRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: RequestHeaders;
  /** The body exactly as sent (JSON text); strings can be replayed by the retry policy. */
  readonly body?: string;
  /** `Prefer` preferences for this call (return=representation, odata.maxpagesize=…). */
  readonly prefer?: readonly string[];
  /** Send as the signed-in identity even when the client impersonates (e.g. resolving --as). */
  readonly skipImpersonation?: boolean;
  /** Overrides what the method implies, e.g. a POST of a read-only action may be repeated. */
  readonly idempotent?: boolean;
  /**
   * A read made to build another request (the --as user, a table's definition), not the operation
   * a command was asked for: --dry-run sends a GET so marked and prints the first request that is
   * not (dry-run.ts). Set by `DataverseClient.lookups()`.
   */
  readonly lookup?: boolean;
}

export interface PipelineResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * The request as the transport put it on the wire, after every policy (impersonation header,
   * Prefer, Authorization…): what --verbose shows of an exchange that failed.
   */
  readonly sent?: PipelineRequest;
  /**
   * Set by the retry policy when this answers a repeat of a request whose earlier attempt may have
   * been carried out (its answer was lost, or a 503): a DELETE answered 404 then deleted the row itself.
   */
  readonly repeated?: boolean;
}

export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

/** One HTTP concern (headers, retry, auth, logging…): do its job, call `next`, look at the answer. */
export interface Policy {
  readonly name: string;
  send(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

/** Chains the policies, outermost first, in front of the transport. */
export function composePipeline(policies: readonly Policy[], transport: SendRequest): SendRequest {
  return policies.reduceRight<SendRequest>((next, policy) => (request) => policy.send(request, next), transport);
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Whether sending the request twice has the same effect as sending it once (RFC 9110 §9.2.2). */
export function isIdempotent(request: PipelineRequest): boolean {
  if (request.idempotent !== undefined) return request.idempotent;
  // A PATCH with `If-Match: *` only ever updates the row to the same values: sending it twice
  // leaves the row as sending it once does, and it can never create one.
  if (request.method === 'PATCH' && request.headers.get('If-Match')?.trim() === '*') return true;
  return IDEMPOTENT_METHODS.has(request.method);
}
