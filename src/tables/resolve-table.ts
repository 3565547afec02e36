import type { CliContext } from '../context.js';
import type { EntityDefinition } from '../dataverse/client.js';
import { entitySetSegment } from '../dataverse/odata.js';
import { TableCache, tableCacheFile } from './table-cache.js';
import { quote } from '../output/terminal-text.js';

export type { EntityDefinition } from '../dataverse/client.js';

/** What resolving needs from the Dataverse client: its environment and its EntityDefinitions lookup. */
export interface TableLookup {
  readonly environment: URL;
  entityDefinition(logicalNameOrSet: string): Promise<EntityDefinition>;
}

/** What resolving needs from the run: where the cache lives, the clock, --dry-run, stderr notes. */
export type TableResolutionContext = Pick<CliContext, 'env' | 'now' | 'messages'> & { options: Pick<CliContext['options'], 'dryRun'> };

/**
 * The table a command names, given as its entity set name (`accounts`) or its logical name
 * (`account`): its names and primary columns, from EntityDefinitions. The answer is kept in the
 * table cache for ten minutes across runs (table-cache.ts), so a script calling dvas again and
 * again pays the lookup once. A name that could not be a table is a usage error before anything
 * is sent; an unknown table is exit 6 (from the client).
 *
 * Under --dry-run a table that is not in the cache is looked up as it would be for real, so the
 * lookup is the request printed: dvas shows what it would send first, and says so.
 */
export async function resolveTable(client: TableLookup, name: string, ctx: TableResolutionContext): Promise<EntityDefinition> {
  entitySetSegment(name);
  const cache = new TableCache(tableCacheFile(ctx.env), () => ctx.now());
  const origin = client.environment.origin;
  const cached = await cache.find(origin, name);
  if (cached) return cached;
  if (ctx.options.dryRun) {
    ctx.messages.note(`dvas would first look up the table ${quote(name)} (run once without --dry-run to cache it for ten minutes):`);
  }
  const definition = await client.entityDefinition(name);
  await cache.remember(origin, definition);
  return definition;
}
