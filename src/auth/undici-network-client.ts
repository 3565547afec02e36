import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../clock/clock.js';
import { request as undiciRequest } from '../http/undici.js';
import { NetworkFailureError, toNetworkFailure } from '../http/network-failure.js';
import { flattenHeaders } from '../http/response-headers.js';
import { jsonSyntaxCause } from '../http/json-syntax.js';
import { sanitizeUrl } from '../http/sanitizer.js';

/**
 * msal-node's network module over the run's undici dispatcher. msal 7's own client uses global
 * fetch, which ignores HTTPS_PROXY and our timeouts; with this one, sign-in goes through the same
 * proxy, trust store and timeouts as the Dataverse calls.
 *
 * A failure is thrown as an msal AuthError (msal passes those through unchanged; anything else it
 * replaces with a bare "network_error") whose cause is our NetworkFailureError, so the sign-in
 * code can still say which host could not be reached and why.
 */
export class UndiciNetworkClient implements INetworkModule {
  /** `log` (--verbose) gets one line per request: method, sanitized URL, status, time. Never bodies: they hold secrets and tokens. */
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly log?: (text: string) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> {
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    const started = this.clock.now();
    try {
      const response = await undiciRequest(url, {
        dispatcher: this.dispatcher,
        method,
        headers: options?.headers ?? {},
        // msal posts form bodies, and an empty one for some endpoints.
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        // msal sets a timeout only for probes (managed identity, region discovery) that must fail fast.
        ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      });
      status = response.statusCode;
      headers = flattenHeaders(response.headers);
      text = await response.body.text();
    } catch (error) {
      const failure = toNetworkFailure(error, new URL(url));
      this.log?.(`> ${method} ${sanitizeUrl(url)}\n< no response (${failure.code ?? 'failed'}, ${this.clock.now() - started} ms)\n`);
      throw networkError(failure);
    }
    this.log?.(`> ${method} ${sanitizeUrl(url)}\n< ${status} (${this.clock.now() - started} ms)\n`);
    return { status, headers, body: parseJson<T>(text, url, status) };
  }
}

/** The NetworkFailureError behind an msal error, if a network failure caused it. */
export function networkFailureBehind(error: unknown): NetworkFailureError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof NetworkFailureError) return current;
  }
  return undefined;
}

function networkError(failure: NetworkFailureError): AuthError {
  const error = new AuthError('network_error', '', failure.message);
  error.cause = failure;
  return error;
}

function parseJson<T>(text: string, url: string, status: number): T {
  if (text.trim() === '') return {} as T;
  try {
    // msal validates the shape of what it reads (token responses, metadata) itself.
    return JSON.parse(text) as T;
  } catch (cause) {
    const error = new AuthError('invalid_response', '', `${new URL(url).host} answered ${status} with a body that is not JSON.`);
    error.cause = jsonSyntaxCause(cause);
    throw error;
  }
}
