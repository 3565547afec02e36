/**
 * What a log line or an error may show of a request or a response. Redaction is by allowlist
 * (after Azure core-rest-pipeline's Sanitizer): a header or query parameter nobody thought about
 * is hidden, so a new secret-bearing header cannot leak by default. The logging policy, the
 * dry-run printer and every error that carries request details go through here.
 */
export const REDACTED = 'REDACTED';

/** Never shown, whatever the allowlist says: these carry credentials. */
const ALWAYS_REDACTED = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-ms-client-secret']);

const SAFE_HEADERS = new Set([
  // request
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'odata-version',
  'odata-maxversion',
  'prefer',
  'if-match',
  'if-none-match',
  'user-agent',
  'callerobjectid',
  'mscrmcallerid',
  'consistency',
  'mscrm.solutionuniquename',
  'mscrm.suppressduplicatedetection',
  'mscrm.bypasscustompluginexecution',
  'client-request-id',
  'x-ms-client-request-id',
  // response
  'odata-entityid',
  'location',
  'etag',
  'preference-applied',
  'retry-after',
  'req_id',
  'x-ms-service-request-id',
  'x-ms-request-id',
  'request-id',
  'x-ms-correlation-request-id',
  'x-ms-dop-hint',
  'x-ms-ratelimit-burst-remaining-xrm-requests',
  'x-ms-ratelimit-time-remaining-xrm-requests',
  'www-authenticate',
  'date',
  'cache-control',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

// fetchXml, savedQuery and userQuery are Dataverse's own query parameters (a FetchXML query, a
// view's id), as much a query option as $filter and never a credential: a --dry-run of
// `get --fetchxml` shows the query it would send, as --verbose does.
const SAFE_QUERY_PARAMETERS = new Set(['api-version', 'client-request-id', 'fetchxml', 'savedquery', 'userquery']);

export function isSafeHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return !ALWAYS_REDACTED.has(lower) && SAFE_HEADERS.has(lower);
}

/** The headers with every value not on the allowlist replaced by REDACTED (names are kept). */
export function sanitizeHeaders(headers: Iterable<readonly [string, string]>): Array<[string, string]> {
  return [...headers].map(([name, value]) => [name, isSafeHeader(name) ? value : REDACTED]);
}

/**
 * The URL without credentials, and with query values hidden unless the parameter is an OData
 * system query option ($select, $filter, $skiptoken…), a parameter alias (@p1), one of Dataverse's
 * query parameters (fetchXml, savedQuery, userQuery), the api-version or msal's client-request-id
 * (a correlation id support asks for).
 */
export function sanitizeUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return REDACTED;
  }
  // origin + path: user:password@ never appears, and a #fragment is never sent anyway.
  const base = `${parsed.origin}${parsed.pathname}`;
  if (!parsed.search) return base;
  // Work on the raw query so that the line shows exactly what was sent.
  const kept = parsed.search
    .slice(1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = safeDecode(eq === -1 ? part : part.slice(0, eq));
      const safe = name.startsWith('$') || name.startsWith('@') || SAFE_QUERY_PARAMETERS.has(name.toLowerCase());
      return safe || eq === -1 ? part : `${part.slice(0, eq)}=${REDACTED}`;
    });
  return `${base}?${kept.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
