/**
 * `$n` references inside a change set (OData 4.0 §11.7.3.1): `$1` stands for the URL of the
 * entity that the request with `Content-ID: 1` created, at the start of a later request's URL
 * (`$1/contact_customer_accounts/$ref`, `PATCH $1`) or as an `@odata.bind` / `@odata.id` value.
 */
export class ContentIdReferenceError extends Error {
  constructor(readonly reference: string) {
    super(`Content-ID Reference: '${reference}' does not exist in the batch context.`);
    this.name = 'ContentIdReferenceError';
  }
}

/** Content-ID → the entity URL its request answered with. */
export type ContentIdUrls = ReadonlyMap<string, string>;

/** Resource names that start with `$` but are not references. */
const SYSTEM_RESOURCES = new Set(['metadata', 'batch', 'entity', 'all', 'crossjoin', 'root']);

/** Replaces a leading `$n` with the entity URL; throws ContentIdReferenceError for an undeclared one. */
export function resolveUrl(url: string, ids: ContentIdUrls): string {
  const match = /^\$([^/?]+)(.*)$/s.exec(url);
  if (!match || SYSTEM_RESOURCES.has(match[1] as string)) return url;
  const entityUrl = ids.get(match[1] as string);
  if (entityUrl === undefined) throw new ContentIdReferenceError(`$${match[1]}`);
  return entityUrl + (match[2] ?? '');
}

/**
 * Replaces `$n` references in `@odata.bind` and `@odata.id` values anywhere in a JSON body (deep
 * inserts included). A body that is not JSON, or has no reference, is returned as sent, so the
 * handler reports its own errors about it.
 */
export function resolveBody(body: string, ids: ContentIdUrls): string {
  if (!body.includes('"$')) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  let changed = false;
  const resolveValue = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('$')) {
      const resolved = resolveUrl(value, ids);
      changed ||= resolved !== value;
      return resolved;
    }
    if (Array.isArray(value)) return value.map(resolveValue);
    return visit(value);
  };
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) =>
        key.endsWith('@odata.bind') || key === '@odata.id' ? [key, resolveValue(item)] : [key, visit(item)],
      ),
    );
  };
  const resolved = visit(parsed);
  return changed ? JSON.stringify(resolved) : body;
}
