import { join } from 'node:path';
import { isRecord, learnedWithin, OriginCache } from '../config/origin-cache.js';
import { configDirectory } from '../config/paths.js';
import type { EntityDefinition } from '../dataverse/client.js';
import type { Navigation } from './navigation.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How long a table's names are trusted without asking the service again. Entity set names and
 * primary columns practically never change once a table exists; the TTL only bounds how long a
 * table that was deleted and re-created under other names keeps being addressed by its old ones.
 * Ten minutes covers a script's run of commands, which is what the cache is for.
 */
export const TABLE_CACHE_TTL_MS = 10 * 60_000;

const FILE_NAME = 'table-cache.json';
const FORMAT_VERSION = 1;

/** `<config dir>/table-cache.json`: names only (no data, no secret), 0600 like every dvas file. */
export function tableCacheFile(env: Env): string {
  return join(configDirectory(env), FILE_NAME);
}

interface CachedDefinition extends EntityDefinition {
  /** ISO time the service answered. */
  cachedAt: string;
  /** Navigation properties looked up for `associate` / `disassociate`, by name; they expire with the table. */
  navigations?: Record<string, Navigation>;
}

/**
 * Table definitions (logical name, entity set name, primary id and name columns, and the
 * navigation properties `associate` looked up) remembered across dvas runs, so that `dvas get
 * accounts` run twice asks EntityDefinitions once. It is only a
 * cache: a missing, unreadable or foreign file reads as empty, and a failed write is ignored.
 * Only successful lookups are remembered, so a table created a moment ago is found at once.
 */
export class TableCache {
  private readonly cache: OriginCache<CachedDefinition[]>;

  constructor(
    file: string,
    private readonly now: () => Date,
    ttlMs: number = TABLE_CACHE_TTL_MS,
  ) {
    this.cache = new OriginCache(
      file,
      {
        version: FORMAT_VERSION,
        parse: (value) => (Array.isArray(value) ? value.filter(isCachedDefinition) : undefined),
        fresh: (entries, at) => {
          const live = entries.filter((entry) => learnedWithin(entry.cachedAt, at, ttlMs));
          return live.length > 0 ? live : undefined;
        },
      },
      now,
    );
  }

  /** The fresh definition that `name` (logical or entity set name) stands for in the environment. */
  async find(environmentOrigin: string, name: string): Promise<EntityDefinition | undefined> {
    const environments = await this.cache.read();
    const found = (environments[environmentOrigin] ?? []).find((entry) => namesTable(entry, name));
    if (!found) return undefined;
    const { cachedAt: _cachedAt, navigations: _navigations, ...definition } = found;
    return definition;
  }

  /** The entity set names cached for the environment (shell completion offers them). */
  async entitySetNames(environmentOrigin: string): Promise<string[]> {
    const environments = await this.cache.read();
    return (environments[environmentOrigin] ?? []).map((entry) => entry.EntitySetName);
  }

  /** A navigation property of the table (by logical name) looked up while the table's entry is fresh. */
  async findNavigation(environmentOrigin: string, logicalName: string, name: string): Promise<Navigation | undefined> {
    const environments = await this.cache.read();
    const entry = (environments[environmentOrigin] ?? []).find((candidate) => candidate.LogicalName === logicalName);
    const found = entry?.navigations?.[name];
    return found && isNavigation(found) ? found : undefined;
  }

  /** Remembers a navigation property with its table's entry (nothing when the table is not cached). */
  async rememberNavigation(environmentOrigin: string, logicalName: string, navigation: Navigation): Promise<void> {
    const environments = await this.cache.read();
    const entries = environments[environmentOrigin] ?? [];
    const entry = entries.find((candidate) => candidate.LogicalName === logicalName);
    if (!entry) return;
    entry.navigations = { ...entry.navigations, [navigation.name]: navigation };
    await this.cache.write({ ...environments, [environmentOrigin]: entries });
  }

  /** Drops the table's entry (by logical name): the service says it no longer exists. */
  async forget(environmentOrigin: string, logicalName: string): Promise<void> {
    const environments = await this.cache.read();
    const kept = (environments[environmentOrigin] ?? []).filter((entry) => entry.LogicalName !== logicalName);
    await this.cache.write({ ...environments, [environmentOrigin]: kept });
  }

  async remember(environmentOrigin: string, definition: EntityDefinition): Promise<void> {
    const environments = await this.cache.read();
    const kept = (environments[environmentOrigin] ?? []).filter((entry) => entry.LogicalName !== definition.LogicalName);
    await this.cache.write({ ...environments, [environmentOrigin]: [...kept, { ...definition, cachedAt: this.now().toISOString() }] });
  }
}

/**
 * Whether `name` names the table as the service's lookup would match it: the logical name (always
 * lower case), or the entity set name compared without regard to case, as Dataverse compares
 * strings in $filter. The caller uses the definition's own EntitySetName in URLs either way.
 */
function namesTable(definition: EntityDefinition, name: string): boolean {
  const lower = name.toLowerCase();
  return definition.LogicalName === lower || definition.EntitySetName.toLowerCase() === lower;
}

function isNavigation(value: unknown): value is Navigation {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    (value.kind === 'single' || value.kind === 'oneToMany' || value.kind === 'manyToMany') &&
    typeof value.target === 'string' &&
    typeof value.relationship === 'string' &&
    (value.lookup === undefined || typeof value.lookup === 'string')
  );
}

function isCachedDefinition(value: unknown): value is CachedDefinition {
  return (
    isRecord(value) &&
    typeof value.LogicalName === 'string' &&
    typeof value.EntitySetName === 'string' &&
    typeof value.PrimaryIdAttribute === 'string' &&
    (value.PrimaryNameAttribute === null || typeof value.PrimaryNameAttribute === 'string') &&
    typeof value.cachedAt === 'string'
  );
}
