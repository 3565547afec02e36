import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../config/atomic-write.js';
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

/** The file: per environment origin, the definitions looked up recently. */
interface CacheDocument {
  version: typeof FORMAT_VERSION;
  environments: Record<string, CachedDefinition[]>;
}

/**
 * Table definitions (logical name, entity set name, primary id and name columns, and the
 * navigation properties `associate` looked up) remembered across dvas runs, so that `dvas get
 * accounts` run twice asks EntityDefinitions once. It is only a
 * cache: a missing, unreadable or foreign file reads as empty, and a failed write is ignored.
 * Only successful lookups are remembered, so a table created a moment ago is found at once.
 */
export class TableCache {
  constructor(
    private readonly file: string,
    private readonly now: () => Date,
    private readonly ttlMs: number = TABLE_CACHE_TTL_MS,
  ) {}

  /** The fresh definition that `name` (logical or entity set name) stands for in the environment. */
  async find(environmentOrigin: string, name: string): Promise<EntityDefinition | undefined> {
    const document = await this.read();
    const found = this.fresh(document.environments[environmentOrigin] ?? []).find((entry) => namesTable(entry, name));
    if (!found) return undefined;
    const { cachedAt: _cachedAt, navigations: _navigations, ...definition } = found;
    return definition;
  }

  /** A navigation property of the table (by logical name) looked up while the table's entry is fresh. */
  async findNavigation(environmentOrigin: string, logicalName: string, name: string): Promise<Navigation | undefined> {
    const document = await this.read();
    const entry = this.fresh(document.environments[environmentOrigin] ?? []).find((candidate) => candidate.LogicalName === logicalName);
    const found = entry?.navigations?.[name];
    return found && isNavigation(found) ? found : undefined;
  }

  /** Remembers a navigation property with its table's entry (nothing when the table is not cached). */
  async rememberNavigation(environmentOrigin: string, logicalName: string, navigation: Navigation): Promise<void> {
    const document = await this.read();
    const entries = this.fresh(document.environments[environmentOrigin] ?? []);
    const entry = entries.find((candidate) => candidate.LogicalName === logicalName);
    if (!entry) return;
    entry.navigations = { ...entry.navigations, [navigation.name]: navigation };
    await this.write({ ...document.environments, [environmentOrigin]: entries });
  }

  async remember(environmentOrigin: string, definition: EntityDefinition): Promise<void> {
    const document = await this.read();
    const kept = this.fresh(document.environments[environmentOrigin] ?? []).filter((entry) => entry.LogicalName !== definition.LogicalName);
    await this.write({ ...document.environments, [environmentOrigin]: [...kept, { ...definition, cachedAt: this.now().toISOString() }] });
  }

  private async write(environments: Record<string, CachedDefinition[]>): Promise<void> {
    // Other environments' expired entries are dropped too, so the file never grows without bound.
    for (const [origin, entries] of Object.entries(environments)) {
      const live = this.fresh(entries);
      if (live.length === 0) delete environments[origin];
      else environments[origin] = live;
    }
    try {
      await writeFileAtomically(this.file, `${JSON.stringify({ version: FORMAT_VERSION, environments } satisfies CacheDocument)}\n`);
    } catch {
      // A read-only config directory costs a lookup per run, nothing more.
    }
  }

  private fresh(entries: readonly CachedDefinition[]): CachedDefinition[] {
    const now = this.now().getTime();
    return entries.filter((entry) => {
      const at = Date.parse(entry.cachedAt);
      return at <= now && now - at < this.ttlMs;
    });
  }

  private async read(): Promise<CacheDocument> {
    const empty: CacheDocument = { version: FORMAT_VERSION, environments: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return empty;
    }
    if (!isRecord(parsed) || parsed.version !== FORMAT_VERSION || !isRecord(parsed.environments)) return empty;
    const environments: Record<string, CachedDefinition[]> = {};
    for (const [origin, entries] of Object.entries(parsed.environments)) {
      if (Array.isArray(entries)) environments[origin] = entries.filter(isCachedDefinition);
    }
    return { version: FORMAT_VERSION, environments };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
