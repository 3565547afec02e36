import { errors } from './errors.js';

/**
 * Decodes a query string into its options ($select…) and parameter aliases (@p1…). `+` is a
 * space, as in forms; an option given twice is refused, as the service refuses it.
 */
export function parseQueryString(rawQuery: string): Map<string, string> {
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
