import type { DataverseClient } from '../dataverse/client.js';
import { entitySetSegment, isRecord, type DataverseRecord } from '../dataverse/odata.js';
import { UsageError } from '../errors.js';
import type { Navigation } from './navigation.js';
import type { EntityDefinition, TableResolutionContext } from './resolve-table.js';
import { TableCache, tableCacheFile } from './table-cache.js';
import { quote } from '../output/terminal-text.js';

export type { Navigation } from './navigation.js';

const NAVIGATION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the name before anything is sent: it goes into the URL path. */
export function navigationSegment(name: string): string {
  if (!NAVIGATION_NAME.test(name)) throw new UsageError(`${quote(name)} is not a navigation property name (letters, digits and _ only).`);
  return name;
}

/**
 * The navigation property `name` of the table, from the table cache while the table's entry is
 * fresh (so that a second run sends no lookup), else looked up, as a lookup (--dry-run sends it).
 * Under --dry-run --offline an unknown one's lookup is the request shown, and a note says so, as
 * for tables.
 */
export async function resolveNavigation(
  client: DataverseClient,
  table: EntityDefinition,
  name: string,
  ctx: TableResolutionContext,
): Promise<Navigation> {
  navigationSegment(name);
  const cache = new TableCache(tableCacheFile(ctx.env), () => ctx.now());
  const origin = client.environment.origin;
  const cached = await cache.findNavigation(origin, table.LogicalName, name);
  if (cached) return cached;
  if (ctx.options.offline) {
    ctx.messages.note(`dvas would first look up the navigation property ${JSON.stringify(name)} (run without --offline to look it up and cache it for ten minutes):`);
  }
  const found = await lookupNavigation(client.lookups(), table, name);
  await cache.rememberNavigation(origin, table.LogicalName, found);
  return found;
}

/**
 * Finds `name` among the table's relationship definitions (EntityDefinitions(…)/ManyToOneRelationships,
 * OneToManyRelationships, ManyToManyRelationships), asked as the signed-in identity: metadata needs
 * no privilege. Navigation property names are case-sensitive, as in the service; a name that is not
 * one of the table's is a usage error naming the ones that come close.
 */
async function lookupNavigation(client: DataverseClient, table: EntityDefinition, name: string): Promise<Navigation> {
  const base = `EntityDefinitions(LogicalName='${entitySetSegment(table.LogicalName)}')`;
  const read = async (collection: string, select: string[]): Promise<DataverseRecord[]> => {
    const { body } = await client.send({ method: 'GET', path: `${base}/${collection}`, query: { $select: select.join(',') }, asCaller: true });
    return isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];
  };
  // One after the other: under --dry-run the first is the request shown, and most names are lookups or N:N.
  const manyToOne = await read('ManyToOneRelationships', ['SchemaName', 'ReferencedEntity', 'ReferencingAttribute', 'ReferencingEntityNavigationPropertyName']);
  const oneToMany = await read('OneToManyRelationships', ['SchemaName', 'ReferencingEntity', 'ReferencingAttribute', 'ReferencedEntityNavigationPropertyName']);
  const manyToMany = await read('ManyToManyRelationships', [
    'SchemaName',
    'Entity1LogicalName',
    'Entity2LogicalName',
    'Entity1NavigationPropertyName',
    'Entity2NavigationPropertyName',
  ]);

  const known: Navigation[] = [
    ...manyToOne.map((item) => navigation(item.ReferencingEntityNavigationPropertyName, 'single', item.ReferencedEntity, item.SchemaName, item.ReferencingAttribute)),
    ...oneToMany.map((item) => navigation(item.ReferencedEntityNavigationPropertyName, 'oneToMany', item.ReferencingEntity, item.SchemaName, item.ReferencingAttribute)),
    ...manyToMany.flatMap((item) => [
      ...(item.Entity1LogicalName === table.LogicalName ? [navigation(item.Entity1NavigationPropertyName, 'manyToMany', item.Entity2LogicalName, item.SchemaName)] : []),
      ...(item.Entity2LogicalName === table.LogicalName ? [navigation(item.Entity2NavigationPropertyName, 'manyToMany', item.Entity1LogicalName, item.SchemaName)] : []),
    ]),
  ].filter((item): item is Navigation => item !== undefined);

  const found = known.find((item) => item.name === name);
  if (found) return found;
  const close = known.filter((item) => item.name.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(item.name.toLowerCase()));
  throw new UsageError(`${table.LogicalName} has no navigation property ${quote(name)} (names are case-sensitive).`, {
    hint:
      known.length === 0
        ? `${table.LogicalName} has no relationships to link through.`
        : close.length > 0
        ? `Did you mean ${close.slice(0, 5).map((item) => `${item.name} (to ${item.target})`).join(', ')}?`
        : `Its navigation properties include ${known.slice(0, 6).map((item) => item.name).join(', ')}${known.length > 6 ? ` and ${known.length - 6} more` : ''}.`,
  });
}

function navigation(name: unknown, kind: Navigation['kind'], target: unknown, relationship: unknown, lookup?: unknown): Navigation | undefined {
  if (typeof name !== 'string' || name === '' || typeof target !== 'string') return undefined;
  return { name, kind, target, relationship: typeof relationship === 'string' ? relationship : name, ...(typeof lookup === 'string' ? { lookup } : {}) };
}
