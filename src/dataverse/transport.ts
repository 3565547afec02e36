import type { Dispatcher } from 'undici';
import { request as undiciRequest } from '../http/undici.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { failedBeforeSending, NetworkFailureError, toNetworkFailure } from '../http/network-failure.js';
import { isIdempotent, type PipelineRequest, type PipelineResponse, type SendRequest } from './pipeline.js';
import { flattenHeaders } from '../http/response-headers.js';

/**
 * Sends the request with undici's request() through the run's one dispatcher and reads the whole
 * body (Dataverse answers in JSON pages of bounded size; reading it all also frees the socket for
 * the next request). Network failures become a NetworkFailureError naming the host. Aborting
 * `signal` (Ctrl+C) cancels the request in flight.
 */
export function undiciTransport(dispatcher: Dispatcher, signal?: AbortSignal): SendRequest {
  return async (request: PipelineRequest): Promise<PipelineResponse> => {
    try {
      const response = await undiciRequest(request.url, {
        dispatcher,
        method: request.method,
        headers: request.headers.toRecord(),
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(signal ? { signal } : {}),
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body, sent: request };
    } catch (error) {
      if (signal?.aborted) throw new CliError('Interrupted.', { exitCode: ExitCode.Interrupted, cause: error });
      throw networkFailureFor(request, error);
    }
  };
}

function networkFailureFor(request: PipelineRequest, error: unknown): NetworkFailureError {
  const failure = toNetworkFailure(error, request.url);
  if (isIdempotent(request) || failedBeforeSending(failure.code) || !failure.transient) return failure;
  return new NetworkFailureError(failure.host, failure.code ?? 'UNKNOWN', failure.message, {
    transient: failure.transient,
    hint: `The ${request.method} may have reached Dataverse before the connection failed: check whether it took effect before sending it again.`,
    cause: failure.cause,
  });
}
