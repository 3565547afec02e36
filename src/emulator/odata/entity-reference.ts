import { API_VERSIONS, type RequestContext } from '../http/context.js';
import type { TableDef } from '../metadata/types.js';
import { errors } from '../http/errors.js';
import { findByAlternateKey, matchAlternateKey } from './alternate-key.js';
import { parseEntityKey } from './entity-key.js';

/** A row named by URL: `/accounts(<guid>)`, `accounts(<guid>)` or `<service root>accounts(<guid>)`. */
export interface EntityReference {
  table: TableDef;
  id: string;
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)\(([^()]*)\)$/;

/**
 * Resolves an entity URL as `@odata.bind` values, `$ref` bodies and function parameters
 * (`@odata.id`) carry it: relative (`/accounts(<id>)` or `accounts(<id>)`) or absolute under this
 * environment's Web API (any supported version). The key is read as in a request URL
 * (odata/entity-key.ts), alternate keys included (`/accounts(accountnumber='ABC123')`, which
 * Microsoft's alternate-key page says binds accept): one that names no row is the service's 404.
 * Undefined when the URL names no row at all: another host or version, an unknown entity set, a
 * key the table does not define; each caller answers that with its own 400.
 */
export function parseEntityReference(ctx: RequestContext, url: string): EntityReference | undefined {
  const named = parseEntityUrl(ctx, url);
  if (!named) return undefined;
  const { table } = named;
  const key = parseEntityKey(table, named.keyText);
  if (key.kind === 'id') return { table, id: key.id };
  if (key.kind !== 'alternate') return undefined;
  const alternate = matchAlternateKey(table, key.parts, key.text);
  if (!alternate) return undefined;
  const row = findByAlternateKey(ctx.core.store, table, alternate);
  if (!row) throw errors.keyNotFound(table.logicalName);
  return { table, id: String(row[table.primaryIdAttribute]) };
}

/**
 * The entity set and key text an entity URL names (the forms parseEntityReference reads), without
 * looking the row up: an upsert's `@odata.id` may name a row that does not exist yet.
 */
export function parseEntityUrl(ctx: RequestContext, url: string): { table: TableDef; keyText: string } | undefined {
  let path = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    const apiRoot = `${ctx.core.origin}/api/data/`;
    if (!path.toLowerCase().startsWith(apiRoot.toLowerCase())) return undefined;
    const rest = path.slice(apiRoot.length);
    const slash = rest.indexOf('/');
    if (slash === -1 || !(API_VERSIONS as readonly string[]).includes(rest.slice(0, slash))) return undefined;
    path = rest.slice(slash + 1);
  } else if (path.startsWith('/')) path = path.slice(1);

  const match = REFERENCE.exec(path);
  if (!match) return undefined;
  const table = ctx.core.metadata.byEntitySetName(match[1] ?? '');
  return table ? { table, keyText: match[2] ?? '' } : undefined;
}
