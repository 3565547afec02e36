import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from '../core.js';
import { answerAuthorize, type AuthorizeAuthority } from './authorize/authorize-endpoint.js';
import { handleControlRequest, type ControlledAuthority } from './control-endpoints.js';
import { EntraError, entraErrorBody, entraErrors } from './entra-errors.js';
import { startDeviceCode } from './grants/device-code.js';
import { readParams, sendJson } from './http-io.js';
import { AUTHORIZE_V1_PATH, ENDPOINT_PATHS, openIdConfiguration } from './openid-configuration.js';
import type { AuthorityEndpoint } from './request-log.js';
import { matchTenant, type TenantSegment } from './tenant.js';
import type { SigningKey } from './signing-key.js';
import { redeemGrant, type TokenEndpointAuthority } from './token-endpoint.js';

/** Everything behind the authority's endpoints: what each endpoint reads, together (EmulatorAuthority is one). */
export type AuthorityEndpoints = TokenEndpointAuthority &
  AuthorizeAuthority &
  ControlledAuthority & { readonly core: Pick<EmulatorCore, 'tenantId' | 'tenantDomains' | 'origin' | 'clock'>; readonly idTokenKey: Pick<SigningKey, 'get' | 'jwk'> };

const ENDPOINTS: readonly AuthorityEndpoint[] = ['openid-configuration', 'token', 'devicecode', 'authorize', 'keys'];

/** Which endpoint a path after `/{tenant}/` names, if any. */
function endpointAt(path: string): AuthorityEndpoint | undefined {
  if (path === AUTHORIZE_V1_PATH) return 'authorize';
  return ENDPOINTS.find((endpoint) => ENDPOINT_PATHS[endpoint] === path);
}

/** What an endpoint answered, for the log: the status, and the OAuth error when the answer carries one (the authorize endpoint's go to the redirect URI). */
interface Answered {
  status: number;
  error?: string;
}

/** Per request: the ids Entra puts in error responses (`trace_id`, and the client's `client-request-id` as `correlation_id`). */
interface RequestIds {
  traceId: string;
  correlationId: string;
}

/**
 * The authority's route on the emulator's server: `/{tenant}/…` endpoints, the verification page
 * and the /_emulator/ control endpoints. Every answer to an Entra endpoint is logged.
 */
export async function handleAuthorityRequest(authority: AuthorityEndpoints, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
  // Prefixing a base keeps a target such as `//host/x` a path rather than a host.
  const url = new URL(`http://emulator${req.url ?? '/'}`);
  if (await handleControlRequest(authority, req, res, url.pathname, body)) return true;
  const match = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
  const endpoint = match ? endpointAt(match[2] ?? '') : undefined;
  if (!match || !endpoint) return false;
  const tenantSegment = match[1] ?? '';
  const header = req.headers['client-request-id'];
  const ids: RequestIds = { traceId: randomUUID(), correlationId: typeof header === 'string' && header ? header : randomUUID() };
  // A browser opens the authorize endpoint with the request in the query; everything else is a form post.
  const params = endpoint === 'authorize' && req.method !== 'POST' ? url.searchParams : (readParams(req, body) ?? new URLSearchParams());
  let status: number;
  let error: string | undefined;
  try {
    const tenant = matchTenant(tenantSegment, authority.core);
    if (!tenant) throw entraErrors.tenantNotFound(tenantSegment, endpoint === 'openid-configuration' ? 'invalid_tenant' : 'invalid_request');
    ({ status, error } = await answer(authority, endpoint, tenant, tenantSegment, url.pathname, req, res, params, ids));
  } catch (failure) {
    if (!(failure instanceof EntraError)) throw failure;
    status = failure.status;
    error = failure.error;
    sendJson(res, failure.status, entraErrorBody(failure, ids, new Date(authority.core.clock.now())), responseHeaders(ids));
  }
  authority.log.record(
    {
      endpoint,
      ...(endpoint === 'token' && params.has('grant_type') ? { grantType: params.get('grant_type') ?? '' } : {}),
      ...(params.has('client_id') ? { clientId: params.get('client_id') ?? '' } : {}),
      status,
      ...(error !== undefined ? { error } : {}),
    },
    new Date(authority.core.clock.now()),
  );
  return true;
}

async function answer(
  authority: AuthorityEndpoints,
  endpoint: AuthorityEndpoint,
  tenant: TenantSegment,
  tenantSegment: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  params: URLSearchParams,
  ids: RequestIds,
): Promise<Answered> {
  const method = req.method ?? 'GET';
  switch (endpoint) {
    case 'openid-configuration': {
      const issuerTenant = tenant === 'tenant' ? authority.core.tenantId : '{tenantid}';
      sendJson(res, 200, openIdConfiguration(authority.core.origin, tenant === 'tenant' ? authority.core.tenantId : tenantSegment, issuerTenant));
      return { status: 200 };
    }
    case 'keys':
      sendJson(res, 200, { keys: [await authority.idTokenKey.jwk()] });
      return { status: 200 };
    case 'authorize':
      return answerAuthorize(authority, path, params, res, ids);
    case 'token':
      if (method !== 'POST') throw entraErrors.postOnly(method);
      sendJson(res, 200, await redeemGrant(authority, tenant, params), responseHeaders(ids));
      return { status: 200 };
    case 'devicecode':
      if (method !== 'POST') throw entraErrors.postOnly(method);
      sendJson(res, 200, await startDeviceCode(authority, params), responseHeaders(ids));
      return { status: 200 };
  }
}

function responseHeaders(ids: RequestIds): Record<string, string> {
  return { 'x-ms-request-id': ids.traceId, 'client-request-id': ids.correlationId };
}
