/** Impersonation headers (docs/dataverse-web-api.md §1.1), lower-case as the dispatcher reads them. */
const IMPERSONATION_HEADERS = ['callerobjectid', 'mscrmcallerid'] as const;

/**
 * The headers a batch request is dispatched with. The $batch request's `Authorization`
 * authenticates every request in it (the connection's caller; a part's own is not used). Its
 * impersonation headers apply to every request that sets none of its own: a request that names a
 * user with either header runs as that user, so an outer `MSCRMCallerID` cannot outrank a part's
 * `CallerObjectId` or the other way round (docs/dataverse-web-api.md §8). Nothing else is inherited: `Prefer`,
 * `If-Match` and the like belong to each request.
 */
export function forwardedHeaders(
  own: Readonly<Record<string, string>>,
  outer: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = { ...own };
  delete headers.authorization;
  if (outer.authorization !== undefined) headers.authorization = outer.authorization;
  const setsOwnCaller = IMPERSONATION_HEADERS.some((name) => own[name] !== undefined);
  if (!setsOwnCaller) {
    for (const name of IMPERSONATION_HEADERS) {
      const value = outer[name];
      if (value !== undefined) headers[name] = value;
    }
  }
  return headers;
}
