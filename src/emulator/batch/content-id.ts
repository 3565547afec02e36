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
 * How deep a body is searched for references: far deeper than any entity body nests (deep inserts
 * take a few levels), and shallow enough that walking it, and JSON.stringify after, cannot run out
 * of stack. ODataLib's own payload limit (MaxNestingDepth) is 100.
 */
const MAX_BODY_DEPTH = 100;

class TooDeep extends Error {}

/**
 * Replaces `$n` references in `@odata.bind` and `@odata.id` values anywhere in a JSON body (deep
 * inserts included). A body that is not JSON, has no reference, or nests deeper than any entity
 * does is returned as sent, so the handler reports its own errors about it.
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
  const resolveValue = (value: unknown, depth: number): unknown => {
    if (depth > MAX_BODY_DEPTH) throw new TooDeep();
    if (typeof value === 'string' && value.startsWith('$')) {
      const resolved = resolveUrl(value, ids);
      changed ||= resolved !== value;
      return resolved;
    }
    if (Array.isArray(value)) return value.map((item) => resolveValue(item, depth + 1));
    return visit(value, depth);
  };
  const visit = (value: unknown, depth: number): unknown => {
    if (depth > MAX_BODY_DEPTH) throw new TooDeep();
    if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) =>
        key.endsWith('@odata.bind') || key === '@odata.id' ? [key, resolveValue(item, depth + 1)] : [key, visit(item, depth + 1)],
      ),
    );
  };
  let resolved: unknown;
  try {
    resolved = visit(parsed, 0);
  } catch (error) {
    if (error instanceof TooDeep) return body;
    throw error;
  }
  return changed ? JSON.stringify(resolved) : body;
}
