import { defineTable } from '../metadata/define.js';
import { MetadataRegistry } from '../metadata/registry.js';
import { systemTables } from '../metadata/system-tables.js';
import type { TableDef } from '../metadata/types.js';
import { withSeedKeys } from './keys.js';
import { SeedError } from './seed-error.js';
import type { SeedDocument, SeedTable } from './types.js';

const CUSTOM_OBJECT_TYPE_CODE_START = 10000;

/** The organisation's table definitions: the system tables, the seed's custom tables and its alternate keys. */
export function seedMetadata(seed: SeedDocument): MetadataRegistry {
  const tables = systemTables();
  let nextTypeCode = CUSTOM_OBJECT_TYPE_CODE_START;
  for (const custom of seed.tables ?? []) tables.push(customTable(custom, nextTypeCode++));
  let metadata: MetadataRegistry;
  try {
    metadata = new MetadataRegistry(withSeedKeys(tables, seed.keys ?? []));
  } catch (error) {
    throw new SeedError((error as Error).message);
  }
  // Checked once every table is known, so custom tables may point at each other in any order.
  for (const custom of seed.tables ?? []) {
    for (const column of custom.columns) {
      for (const target of column.targets ?? []) {
        if (!metadata.table(target)) {
          throw new SeedError(`Lookup column '${column.name}' of '${custom.logicalName}' targets table '${target}', which does not exist.`);
        }
      }
    }
  }
  return metadata;
}

const CUSTOM_TYPES = new Set<string>(['String', 'Memo', 'Integer', 'BigInt', 'Decimal', 'Double', 'Money', 'Boolean', 'DateTime', 'Lookup', 'Picklist', 'Uniqueidentifier']);

function customTable(spec: SeedTable, objectTypeCode: number): TableDef {
  if (!spec.logicalName || !/^[a-z][a-z0-9_]*$/.test(spec.logicalName)) {
    throw new SeedError(`Custom table logical name '${String(spec.logicalName)}' must be lower-case letters, digits and underscores.`);
  }
  if (!Array.isArray(spec.columns)) throw new SeedError(`Custom table '${spec.logicalName}' needs a columns array.`);
  const primaryNameAttribute = spec.primaryNameAttribute ?? spec.columns.find((column) => column.type === 'String')?.name;
  if (!primaryNameAttribute) throw new SeedError(`Custom table '${spec.logicalName}' needs a String column for its primary name.`);
  for (const column of spec.columns) {
    if (!column.name || !/^[a-z][a-z0-9_]*$/.test(column.name)) {
      throw new SeedError(`Column '${String(column.name)}' of '${spec.logicalName}' must be lower-case letters, digits and underscores.`);
    }
    if (!CUSTOM_TYPES.has(column.type)) {
      throw new SeedError(`Column '${column.name}' of '${spec.logicalName}' has unknown type '${String(column.type)}'.`);
    }
    if (column.type === 'Lookup' && !column.targets?.length) {
      throw new SeedError(`Lookup column '${column.name}' of '${spec.logicalName}' needs targets.`);
    }
  }
  const displayName = spec.displayName ?? spec.logicalName;
  return defineTable({
    logicalName: spec.logicalName,
    ...(spec.schemaName ? { schemaName: spec.schemaName } : { schemaName: spec.logicalName }),
    displayName,
    displayCollectionName: spec.displayCollectionName ?? `${displayName}s`,
    entitySetName: spec.entitySetName ?? `${spec.logicalName}s`,
    ...(spec.primaryIdAttribute ? { primaryIdAttribute: spec.primaryIdAttribute } : {}),
    primaryNameAttribute,
    objectTypeCode: spec.objectTypeCode ?? objectTypeCode,
    ownershipType: spec.ownership ?? 'UserOwned',
    isCustomEntity: true,
    supportsCreateMultiple: spec.supportsCreateMultiple ?? true,
    columns: spec.columns.map((column) => ({
      name: column.name,
      type: column.type,
      displayName: column.displayName ?? column.name,
      ...(column.maxLength !== undefined ? { maxLength: column.maxLength } : {}),
      ...(column.targets ? { targets: column.targets } : {}),
      ...(column.options
        ? { options: Object.fromEntries(Object.entries(column.options).map(([value, label]) => [Number(value), label])) }
        : {}),
    })),
  });
}
