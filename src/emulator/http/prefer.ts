/** The `Prefer` header preferences Dataverse understands (docs/dataverse-web-api.md §0, §3.2, §4.3). */
export interface Prefer {
  returnRepresentation: boolean;
  maxPageSize?: number;
  /** Patterns from odata.include-annotations, e.g. `*`, `OData.Community.Display.V1.FormattedValue`. */
  includeAnnotations: string[];
  continueOnError: boolean;
  trackChanges: boolean;
  /** An odata.maxpagesize value that is not a positive whole number, as sent (refused by request-options.ts). */
  invalidMaxPageSize?: string;
}

/**
 * Parses one or more comma-separated Prefer headers (node joins repeated headers with ", ").
 * Preferences Dataverse does not document (respond-async, wait…) are left out, as RFC 7240 lets a
 * server ignore preferences it does not support and the service answers them as without.
 */
export function parsePrefer(header: string | undefined): Prefer {
  const prefer: Prefer = { returnRepresentation: false, includeAnnotations: [], continueOnError: false, trackChanges: false };
  if (!header) return prefer;
  for (const part of splitPreferences(header)) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name === 'return' && value.toLowerCase() === 'representation') prefer.returnRepresentation = true;
    else if (name === 'odata.maxpagesize') {
      const size = Number(value);
      if (/^\d+$/.test(value) && Number.isInteger(size) && size > 0) prefer.maxPageSize = size;
      else prefer.invalidMaxPageSize = value;
    } else if (name === 'odata.include-annotations') {
      prefer.includeAnnotations.push(...value.split(',').map((item) => item.trim()).filter(Boolean));
    } else if (name === 'odata.continue-on-error') prefer.continueOnError = true;
    else if (name === 'odata.track-changes') prefer.trackChanges = true;
  }
  return prefer;
}

/** Splits on commas that are outside double quotes (annotation lists are quoted and comma-separated). */
function splitPreferences(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** Whether an annotation (without its leading `@`) was asked for: `*`, an exact name, or `Prefix.*`. */
export function wantsAnnotation(prefer: Prefer, annotation: string): boolean {
  let wanted = false;
  for (const pattern of prefer.includeAnnotations) {
    const negated = pattern.startsWith('-');
    const body = negated ? pattern.slice(1) : pattern;
    const matches =
      body === '*' || body === annotation || (body.endsWith('.*') && annotation.startsWith(body.slice(0, -1)));
    if (matches) wanted = !negated;
  }
  return wanted;
}
