import { randomUUID } from 'node:crypto';
import { bearerToken } from '../auth/bearer.js';
import type { EmulatorCore } from '../core.js';
import { batch } from '../handlers/batch.js';
import { createMultiple } from '../handlers/create-multiple.js';
import { createRow } from '../handlers/create.js';
import { deleteRow } from '../handlers/delete.js';
import { entityDefinitions } from '../handlers/entity-definitions.js';
import { boundFunction } from '../handlers/functions.js';
import { countCollection, readCollection, readNavigation, readProperty, readRow } from '../handlers/read.js';
import { handleReference } from '../handlers/references.js';
import { serviceDocument } from '../handlers/service-document.js';
import { updateRow } from '../handlers/update.js';
import { whoAmI } from '../handlers/whoami.js';
import type { TableDef } from '../metadata/types.js';
import { parseEntityKey } from '../odata/entity-key.js';
import { callerFromToken, resolvePrincipal } from '../security/impersonation.js';
import { API_VERSIONS, type ApiVersion, type RequestContext } from './context.js';
import { errors, ODataError } from './errors.js';
import { parsePrefer, type Prefer } from './prefer.js';
import { PathSyntaxError, splitResourcePath, type PathSegment } from './resource-path.js';
import { errorResponse, withActivityId } from './respond.js';
import type { EmulatorRequest, EmulatorResponse } from './types.js';

const API_PREFIX = /^\/api\/data\/(v\d+\.\d+)\/?(.*)$/;
const MAX_GET_URL = 32_768;

/**
 * Answers one Web API request: authenticate the bearer token, apply impersonation, route the
 * resource path, run the handler. Synchronous on purpose (see Store.transaction). Every failure
 * becomes an OData error response; nothing a client sends can throw out of here.
 */
export function dispatch(core: EmulatorCore, request: EmulatorRequest, options: { maxUrlLength?: number } = {}): EmulatorResponse {
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
  const queryStart = request.target.indexOf('?');
  const path = queryStart === -1 ? request.target : request.target.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : request.target.slice(queryStart + 1);
  const requestUri = `${core.origin}${request.target}`;
  const match = API_PREFIX.exec(path);
  if (!match || !(API_VERSIONS as readonly string[]).includes(match[1] as string)) throw errors.noHttpResource(requestUri);
  if (request.target.length > maxUrlLength) throw errors.urlTooLong();
  const version = match[1] as ApiVersion;

  const claims = authenticate(core, request);
  const caller = callerFromToken(core.security, claims);
  const principal = resolvePrincipal(core.security, caller, request.headers, core.options.unknownCaller);

  let segments: PathSegment[];
  try {
    segments = splitResourcePath(decodePath(match[2] ?? ''));
  } catch (error) {
    if (error instanceof PathSyntaxError) throw errors.badQuery(error.message);
    throw error;
  }
  const query = parseQuery(rawQuery);
  const ctx: RequestContext = {
    core,
    request,
    method: request.method.toUpperCase(),
    version,
    serviceRoot: `${core.origin}/api/data/${version}/`,
    requestUri,
    query,
    prefer,
    principal,
    activityId,
  };
  return route(ctx, segments);
}

function authenticate(core: EmulatorCore, request: EmulatorRequest) {
  const challenge = (message: string) =>
    errors.unauthorized(`${core.authorityUrl}/oauth2/authorize`, `${core.origin}/`, message);
  const header = request.headers.authorization;
  if (!header) throw challenge('Bearer token is missing.');
  const token = bearerToken(header);
  if (!token) throw challenge('The Authorization header is not a Bearer token.');
  const check = core.tokens.verify(token, core.origin);
  if (!check.ok) {
    const reasons: Record<typeof check.reason, string> = {
      malformed: 'The bearer token is malformed.',
      'bad-signature': 'The bearer token signature is invalid.',
      expired: 'The bearer token has expired.',
      'not-yet-valid': 'The bearer token is not valid yet.',
      'wrong-audience': 'The bearer token was issued for another audience.',
    };
    throw challenge(reasons[check.reason]);
  }
  return check.claims;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new PathSyntaxError('The request URL is not correctly percent-encoded.');
  }
}

function parseQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  if (!rawQuery) return query;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw errors.badQuery('The query string is not correctly percent-encoded.');
    }
    if (query.has(name)) throw errors.badQuery(`Query option '${name}' was specified more than once, but it must be specified at most once.`);
    query.set(name, value);
  }
  return query;
}

function route(ctx: RequestContext, segments: PathSegment[]): EmulatorResponse {
  const [first, second, third] = segments;
  if (!first) return ctx.method === 'GET' ? serviceDocument(ctx) : notAllowed(ctx);
  if (first.name === 'WhoAmI' && (first.args === undefined || first.args === '') && !second) {
    // WhoAmI is a function: only GET reaches it; any other method finds no HTTP resource (reference §2).
    if (ctx.method !== 'GET') throw errors.noHttpResource(ctx.requestUri);
    return whoAmI(ctx);
  }
  if (first.name === '$batch' && first.args === undefined && !second) {
    if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
    return batch(ctx);
  }
  if (first.name === 'EntityDefinitions') return entityDefinitions(ctx, segments);

  const table = ctx.core.metadata.byEntitySetName(first.name);
  if (!table) throw errors.resourceNotFoundForSegment(first.raw);

  if (first.args === undefined) {
    if (!second) {
      if (ctx.method === 'GET') return readCollection(ctx, table);
      if (ctx.method === 'POST') return createRow(ctx, table);
      return notAllowed(ctx);
    }
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    if (second.name === '$count' && second.args === undefined) {
      if (ctx.method !== 'GET') return notAllowed(ctx);
      return countCollection(ctx, table);
    }
    if (second.name === 'Microsoft.Dynamics.CRM.CreateMultiple') {
      if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
      return createMultiple(ctx, table);
    }
    throw errors.resourceNotFoundForSegment(second.raw);
  }

  const id = parseKey(table, first);
  if (!second) {
    if (ctx.method === 'GET') return readRow(ctx, table, id);
    if (ctx.method === 'PATCH') return updateRow(ctx, table, id);
    if (ctx.method === 'DELETE') return deleteRow(ctx, table, id);
    return notAllowed(ctx);
  }
  if (second.name.startsWith('Microsoft.Dynamics.CRM.')) {
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    return boundFunction(ctx, table, id, second.name.slice('Microsoft.Dynamics.CRM.'.length), second.args);
  }
  const navigation = table.navigations.get(second.name);
  if (navigation) {
    if (third?.name === '$ref' && third.args === undefined && segments.length === 3) {
      const relatedId = second.args === undefined ? undefined : parseKey(ctx.core.metadata.require(navigation.target), second);
      return handleReference(ctx, table, id, navigation, relatedId);
    }
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    if (second.args !== undefined) throw errors.resourceNotFoundForSegment(second.raw);
    if (ctx.method !== 'GET') return notAllowed(ctx);
    return readNavigation(ctx, table, id, navigation);
  }
  const attribute = table.attributes.get(second.name);
  if (attribute && second.args === undefined && !third) {
    if (ctx.method !== 'GET') return notAllowed(ctx);
    return readProperty(ctx, table, id, attribute);
  }
  throw errors.resourceNotFoundForSegment(second.raw);
}

/**
 * `accounts(<guid>)` or `accounts(accountid=<guid>)`. Any other key names an alternate key, which
 * the emulator defines for no table: answered as the service answers a key it does not know.
 */
function parseKey(table: TableDef, segment: PathSegment): string {
  const args = segment.args ?? '';
  const key = parseEntityKey(table, args);
  if (key.kind === 'id') return key.id;
  if (key.kind === 'alternate') throw errors.keyMismatch(table.logicalName);
  throw errors.badQuery(`Bad Request - Error in query syntax. The key '${args.trim()}' of segment '${segment.raw}' is not a GUID.`);
}

function notAllowed(ctx: RequestContext): EmulatorResponse {
  throw errors.methodNotAllowed(ctx.requestUri);
}
