import type { ODataError } from './errors.js';
import { randomUUID } from 'node:crypto';
import { parsePrefer, wantsAnnotation, type Prefer } from './prefer.js';
import type { EmulatorResponse } from './types.js';

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal';

/** Headers every Web API response carries. */
export function baseHeaders(): Record<string, string> {
  return { 'OData-Version': '4.0' };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { ...baseHeaders(), 'Content-Type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(headers: Record<string, string> = {}): EmulatorResponse {
  return { status: 204, headers: { ...baseHeaders(), ...headers } };
}

const ERROR_DETAILS = 'Microsoft.PowerApps.CDS.ErrorDetails';

/**
 * The OData error body. With `Prefer: odata.include-annotations` naming the error details, the
 * extra keys the real service adds appear inside `error` (all values strings, docs/dataverse-web-api.md §6.1).
 */
export function errorResponse(error: ODataError, prefer: Prefer | undefined, activityId: string): EmulatorResponse {
  const body: Record<string, string> = { code: error.code, message: error.message };
  if (prefer) {
    const details: Record<string, string> = {
      [`@${ERROR_DETAILS}.OperationStatus`]: error.status >= 500 ? 'Failed' : 'ClientError',
      [`@${ERROR_DETAILS}.SubErrorCode`]: error.code ? String(parseInt(error.code, 16) | 0) : '0',
      [`@${ERROR_DETAILS}.ApiActivityIdKey`]: activityId,
      [`@${ERROR_DETAILS}.ApiExceptionCategory`]: error.status >= 500 ? 'ServerError' : 'ClientError',
      [`@${ERROR_DETAILS}.ApiExceptionMessageName`]: error.messageName,
      [`@${ERROR_DETAILS}.ApiExceptionHttpStatusCode`]: String(error.status),
    };
    for (const [key, value] of Object.entries(details)) {
      if (wantsAnnotation(prefer, key.slice(1))) body[key] = value;
    }
    if (error.code && wantsAnnotation(prefer, 'Microsoft.PowerApps.CDS.HelpLink')) {
      body['@Microsoft.PowerApps.CDS.HelpLink'] =
        `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${error.code.replace(/^0x/, '')}&client=platform`;
    }
    if (wantsAnnotation(prefer, 'Microsoft.PowerApps.CDS.TraceText')) body['@Microsoft.PowerApps.CDS.TraceText'] = '';
    if (wantsAnnotation(prefer, 'Microsoft.PowerApps.CDS.InnerError.Message')) {
      body['@Microsoft.PowerApps.CDS.InnerError.Message'] = error.message;
    }
  }
  return {
    status: error.status,
    headers: { ...baseHeaders(), 'Content-Type': 'application/json; charset=utf-8', ...error.headers },
    body: JSON.stringify({ error: body }),
  };
}

/** Puts the request's activity id where the service does, so that a client can quote it in a support case. */
export function withActivityId(response: EmulatorResponse, activityId: string): EmulatorResponse {
  response.headers['REQ_ID'] = activityId;
  response.headers['x-ms-service-request-id'] = activityId;
  return response;
}

/**
 * An error answered without going through the dispatcher (service protection, an injected fault,
 * a batch part that cannot be run), shaped like the dispatcher's: its own activity id, and the
 * error details the request's `Prefer` header asks for.
 */
export function errorAnswer(error: ODataError, preferHeader: string | undefined): EmulatorResponse {
  const activityId = randomUUID();
  return withActivityId(errorResponse(error, parsePrefer(preferHeader), activityId), activityId);
}
