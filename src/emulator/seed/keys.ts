import { KEY_ATTRIBUTE_TYPES, type KeyDef, type TableDef } from '../metadata/types.js';
import { SeedError } from './seed-error.js';
import type { SeedKey } from './types.js';

/** Dataverse's limits on alternate keys (define-alternate-keys-entity). */
const MAX_KEY_COLUMNS = 16;
const MAX_KEYS_PER_TABLE = 10;

/**
 * The tables with the seed's alternate keys added, each key checked as Dataverse checks a key
 * definition: the table and columns exist, the columns' types may be keys, at most 16 columns and
 * 10 keys per table, and no two keys of a table with the same name or the same columns.
 */
export function withSeedKeys(tables: readonly TableDef[], seedKeys: readonly SeedKey[]): TableDef[] {
  const keys = new Map<string, KeyDef[]>();
  for (const seedKey of seedKeys) {
    const table = tables.find((candidate) => candidate.logicalName === seedKey.table);
    if (!table) throw new SeedError(`Key '${String(seedKey.name)}' is on table '${String(seedKey.table)}', which does not exist.`);
    if (typeof seedKey.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(seedKey.name)) {
      throw new SeedError(`A key of '${table.logicalName}' needs a name of letters, digits and underscores.`);
    }
    const label = `Key '${seedKey.name}' of '${table.logicalName}'`;
    if (!Array.isArray(seedKey.columns) || seedKey.columns.length === 0) throw new SeedError(`${label} needs a columns array.`);
    if (seedKey.columns.length > MAX_KEY_COLUMNS) throw new SeedError(`${label} has ${seedKey.columns.length} columns; a key has at most ${MAX_KEY_COLUMNS}.`);
    for (const column of seedKey.columns) {
      const attribute = table.attributes.get(column);
      if (!attribute) throw new SeedError(`${label} names column '${String(column)}', which the table does not have.`);
      if (!KEY_ATTRIBUTE_TYPES.has(attribute.type)) {
        throw new SeedError(`${label} names column '${column}' of type ${attribute.type}; keys take String, Integer, Decimal, DateTime, Picklist or Lookup columns.`);
      }
    }
    if (new Set(seedKey.columns).size !== seedKey.columns.length) throw new SeedError(`${label} names a column twice.`);
    const declared = keys.get(table.logicalName) ?? [];
    if (declared.length >= MAX_KEYS_PER_TABLE) throw new SeedError(`Table '${table.logicalName}' has more than ${MAX_KEYS_PER_TABLE} keys.`);
    if (declared.some((key) => key.logicalName === seedKey.name.toLowerCase())) throw new SeedError(`${label} is declared twice.`);
    const sameColumns = declared.find((key) => key.attributes.length === seedKey.columns.length && key.attributes.every((name) => seedKey.columns.includes(name)));
    if (sameColumns) throw new SeedError(`${label} has the same columns as key '${sameColumns.schemaName}'.`);
    declared.push({
      logicalName: seedKey.name.toLowerCase(),
      schemaName: seedKey.name,
      displayName: seedKey.displayName ?? seedKey.name,
      attributes: [...seedKey.columns],
    });
    keys.set(table.logicalName, declared);
  }
  return tables.map((table) => {
    const declared = keys.get(table.logicalName);
    return declared ? { ...table, keys: [...table.keys, ...declared] } : table;
  });
}
