import type { CliContext } from '../context.js';
import type { EntityDefinition } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { ErrorCode } from '../dataverse/facts.js';
import { entitySetSegment } from '../dataverse/odata.js';
import { TableCache, tableCacheFile } from './table-cache.js';
import { quote } from '../output/terminal-text.js';

export type { EntityDefinition } from '../dataverse/client.js';

/** What resolving needs from the Dataverse client: its environment and its EntityDefinitions lookup. */
export interface TableLookup {
  readonly environment: URL;
  entityDefinition(logicalNameOrSet: string): Promise<EntityDefinition>;
}

/** What resolving needs from the run: where the cache lives, the clock, --offline, stderr notes. */
export type TableResolutionContext = Pick<CliContext, 'env' | 'now' | 'messages'> & { options: Pick<CliContext['options'], 'offline'> };

/**
 * The table a command names, given as its entity set name (`accounts`) or its logical name
 * (`account`): its names and primary columns, from EntityDefinitions. The answer is kept in the
 * table cache for ten minutes across runs (table-cache.ts), so a script calling dvas again and
 * again pays the lookup once. A name that could not be a table is a usage error before anything
 * is sent; an unknown table is exit 6 (from the client).
 *
 * The lookup is marked as one (DataverseClient.lookups), so --dry-run sends it for real, and its
 * answer is cached as in a real run; under --dry-run --offline a table that is not in the cache has
 * its lookup printed as the request, and a note says so.
 */
export async function resolveTable(client: TableLookup, name: string, ctx: TableResolutionContext): Promise<EntityDefinition> {
  return (await lookUpTable(client, name, ctx)).definition;
}

/**
 * Runs `use` on the table `name` stands for; when that came from the cache and the service answers
 * that the entity set does not exist (the table was deleted or renamed since it was cached), the
 * entry is dropped and the table looked up again, once, and `use` runs on what that finds (an
 * unknown table is then exit 6 from the lookup). Without this a stale entry kept failing, with a
 * hint about case-sensitive names, until it expired. `use` must be safe to run again after that
 * answer: a request to an entity set that does not exist did nothing.
 */
export async function withTable<T>(client: TableLookup, name: string, ctx: TableResolutionContext, use: (table: EntityDefinition) => Promise<T>): Promise<T> {
  const { definition, cache } = await lookUpTable(client, name, ctx);
  try {
    return await use(definition);
  } catch (error) {
    if (!cache || !isUnknownEntitySet(error)) throw error;
    await cache.forget(client.environment.origin, definition.LogicalName);
    return use((await lookUpTable(client, name, ctx, { skipCache: true })).definition);
  }
}

/** 404 "Resource not found for the segment": the URL's entity set is not one the service knows. */
function isUnknownEntitySet(error: unknown): boolean {
  return error instanceof DataverseApiError && error.status === 404 && error.code?.toLowerCase() === ErrorCode.ResourceNotFoundForSegment;
}

/** The definition, and the cache when it came from there. */
async function lookUpTable(
  client: TableLookup,
  name: string,
  ctx: TableResolutionContext,
  options: { skipCache?: boolean } = {},
): Promise<{ definition: EntityDefinition; cache?: TableCache }> {
  entitySetSegment(name);
  const cache = new TableCache(tableCacheFile(ctx.env), () => ctx.now());
  const origin = client.environment.origin;
  const cached = options.skipCache ? undefined : await cache.find(origin, name);
  if (cached) return { definition: cached, cache };
  if (ctx.options.offline) {
    ctx.messages.note(`dvas would first look up the table ${quote(name)} (run without --offline to look it up and cache it for ten minutes):`);
  }
  const definition = await client.entityDefinition(name);
  await cache.remember(origin, definition);
  return { definition };
}
