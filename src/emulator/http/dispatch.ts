import { randomUUID } from 'node:crypto';
import type { EmulatorCore } from '../core.js';
import { callerFromToken, resolvePrincipal } from '../security/impersonation.js';
import { authenticate } from './authenticate.js';
import type { RequestContext } from './context.js';
import { errors, ODataError } from './errors.js';
import { parsePrefer, type Prefer } from './prefer.js';
import { parseQueryString } from './query-string.js';
import { checkRequestOptions } from './request-options.js';
import { readRequestTarget, resourceSegments } from './request-target.js';
import { PathSyntaxError } from './resource-path.js';
import { errorResponse, withActivityId } from './respond.js';
import { route } from './route.js';
import type { DispatchOptions, EmulatorRequest, EmulatorResponse } from './types.js';

const MAX_GET_URL = 32_768;

/**
 * Answers one Web API request: authenticate the bearer token, apply impersonation, route the
 * resource path, run the handler. Synchronous on purpose (see Store.transaction). Every failure
 * becomes an OData error response; nothing a client sends can throw out of here.
 */
export function dispatch(core: EmulatorCore, request: EmulatorRequest, options: DispatchOptions = {}): EmulatorResponse {
  const activityId = randomUUID();
  let prefer: Prefer | undefined;
  let response: EmulatorResponse;
  try {
    prefer = parsePrefer(request.headers.prefer);
    response = handle(core, request, prefer, activityId, options.maxUrlLength ?? MAX_GET_URL);
  } catch (error) {
    if (error instanceof ODataError) response = errorResponse(error, prefer, activityId);
    else if (error instanceof PathSyntaxError) response = errorResponse(errors.badQuery(error.message), prefer, activityId);
    else {
      // A bug in the emulator: answer as the service does for an unexpected fault, and say what broke on stderr.
      process.stderr.write(`dvas emulator: internal error on ${request.method} ${request.target}: ${(error as Error)?.stack ?? String(error)}\n`);
      response = errorResponse(errors.unexpected(), prefer, activityId);
    }
  }
  return withActivityId(response, activityId);
}

function handle(core: EmulatorCore, request: EmulatorRequest, prefer: Prefer, activityId: string, maxUrlLength: number): EmulatorResponse {
  const target = readRequestTarget(core.origin, request.target, maxUrlLength);
  const claims = authenticate(core, request);
  const caller = callerFromToken(core.security, claims);
  const principal = resolvePrincipal(core.security, caller, request.headers, core.options.unknownCaller);
  const segments = resourceSegments(target.resourcePath);
  const query = parseQueryString(target.rawQuery);
  const ctx: RequestContext = {
    core,
    request,
    method: request.method.toUpperCase(),
    version: target.version,
    serviceRoot: `${core.origin}/api/data/${target.version}/`,
    requestUri: target.requestUri,
    query,
    prefer,
    principal,
    activityId,
    // Requests that carry others ($batch) run each through this same dispatcher: passed in, so
    // that the batch code needs no import of the dispatcher (which routes to it).
    dispatch: (inner, innerOptions) => dispatch(core, inner, innerOptions),
  };
  checkRequestOptions(ctx);
  return route(ctx, segments);
}
