import { API_VERSIONS, type ApiVersion } from './context.js';
import { errors } from './errors.js';
import { PathSyntaxError, splitResourcePath, type PathSegment } from './resource-path.js';

const API_PREFIX = /^\/api\/data\/(v\d+\.\d+)\/?(.*)$/;

/** A request target (`/api/data/v9.2/accounts?$top=1`) cut into the parts the dispatcher uses. */
export interface RequestTarget {
  version: ApiVersion;
  /** The full request URI, as the service quotes it in some error messages. */
  requestUri: string;
  /** The resource path after the version, still percent-encoded. */
  resourcePath: string;
  /** The query string without its `?`, still encoded. */
  rawQuery: string;
}

/**
 * Checks that the target is a Web API URL of a known version and not longer than allowed. It
 * does not parse the resource path: a bad path is answered only after authentication, as the
 * service does.
 */
export function readRequestTarget(origin: string, target: string, maxUrlLength: number): RequestTarget {
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const requestUri = `${origin}${target}`;
  const match = API_PREFIX.exec(path);
  if (!match || !(API_VERSIONS as readonly string[]).includes(match[1] as string)) throw errors.noHttpResource(requestUri);
  if (target.length > maxUrlLength) throw errors.urlTooLong();
  return { version: match[1] as ApiVersion, requestUri, resourcePath: match[2] ?? '', rawQuery };
}

/** The decoded resource path as segments; a syntax error is a 400 with the service's message. */
export function resourceSegments(resourcePath: string): PathSegment[] {
  try {
    return splitResourcePath(decodePath(resourcePath));
  } catch (error) {
    if (error instanceof PathSyntaxError) throw errors.badQuery(error.message);
    throw error;
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new PathSyntaxError('The request URL is not correctly percent-encoded.');
  }
}
