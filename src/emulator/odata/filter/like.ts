import { errors } from '../../http/errors.js';

/**
 * Dataverse turns contains/startswith/endswith (and FetchXML's like, QueryExpression's Like) into SQL LIKE, so `%`, `_` and `[…]` in the
 * pattern are wildcards (filter-rows: "Use wildcard characters"). Returns a matcher for
 * lower-cased text, or undefined when the pattern has no wildcard (a plain substring test is
 * then enough). Built once per query, never per row.
 */
export function likeMatcher(kind: 'contains' | 'startswith' | 'endswith' | 'like', pattern: string): RegExp | undefined {
  if (!/[%_[]/.test(pattern)) return undefined;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const set = pattern.slice(i + 1, end);
      const negated = set.startsWith('^');
      const body = (negated ? set.slice(1) : set).replace(/[\\\]^]/g, '\\$&');
      source += `[${negated ? '^' : ''}${body}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|\\\]]/g, '\\$&');
  }
  // FetchXML's `like` is SQL LIKE itself: the pattern matches the whole value.
  const anchored = kind === 'startswith' ? `^${source}` : kind === 'endswith' ? `${source}$` : kind === 'like' ? `^${source}$` : source;
  try {
    return new RegExp(anchored, 's');
  } catch {
    // A set the SQL pattern language would reject too, such as a reversed range `[z-a]`.
    throw errors.badQuery(`The pattern '${pattern}' is not a valid wildcard pattern.`);
  }
}
