import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeType, TableDef } from '../metadata/types.js';
import { keyTuple } from '../odata/alternate-key.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { Store } from '../store/store.js';
import type { ColumnValue, LookupValue, Row } from '../store/types.js';
import type { LoadedPrincipals } from './principals.js';
import { SeedError } from './seed-error.js';
import { idOr } from './seed-values.js';
import type { SeedDocument, SeedRow } from './types.js';

/** The seed's data rows, owned by users or teams; then a check that no alternate key names two rows. */
export function loadRows(store: Store, metadata: MetadataRegistry, seed: SeedDocument, principals: LoadedPrincipals, stamp: () => string): void {
  for (const [logicalName, rows] of Object.entries(seed.rows ?? {})) {
    const table = metadata.table(logicalName);
    if (!table) throw new SeedError(`The seed has rows for table '${logicalName}', which does not exist.`);
    if (!Array.isArray(rows)) throw new SeedError(`The rows of '${logicalName}' must be an array.`);
    for (const seedRow of rows) {
      loadRow(store, metadata, table, seedRow, {
        owner: (name) => principals.principal(name, `A row of '${logicalName}'`),
        defaultOwner: principals.defaultOwner,
        stamp,
      });
    }
  }

  requireUniqueSeedKeys(metadata, store);
}

/** Two seeded rows with the same alternate key values would make the key name two rows. */
function requireUniqueSeedKeys(metadata: MetadataRegistry, store: Store): void {
  for (const table of metadata.all()) {
    for (const key of table.keys) {
      const seen = new Set<string>();
      for (const row of store.rows(table.logicalName).values()) {
        const tuple = keyTuple(table, key, row);
        if (tuple === undefined) continue;
        if (seen.has(tuple)) throw new SeedError(`Two rows of '${table.logicalName}' have the same values for key '${key.schemaName}' (${key.attributes.join(', ')}).`);
        seen.add(tuple);
      }
    }
  }
}

interface RowContext {
  owner(name: string): LookupValue;
  defaultOwner: LookupValue | undefined;
  stamp(): string;
}

function loadRow(store: Store, metadata: MetadataRegistry, table: TableDef, seedRow: SeedRow, context: RowContext): void {
  if (typeof seedRow !== 'object' || seedRow === null) throw new SeedError(`A row of '${table.logicalName}' is not an object.`);
  const primaryName =
    table.logicalName === 'contact' && seedRow.fullname === undefined
      ? [seedRow.firstname, seedRow.lastname].filter((part) => typeof part === 'string' && part).join(' ')
      : seedRow[table.primaryNameAttribute];
  const label = `${table.logicalName} '${String(primaryName ?? seedRow[table.primaryIdAttribute] ?? '?')}'`;
  const rawId = seedRow[table.primaryIdAttribute];
  if (rawId !== undefined && typeof rawId !== 'string') throw new SeedError(`The id of ${label} must be a GUID string.`);
  const id = idOr(rawId, `${table.logicalName}:${String(primaryName ?? JSON.stringify(seedRow))}`, `id of ${label}`);
  if (store.get(table.logicalName, id)) throw new SeedError(`Row ${label} is declared twice.`);
  const row: Row = { [table.primaryIdAttribute]: id };
  for (const [column, value] of Object.entries(seedRow)) {
    if (column === '$owner' || column === table.primaryIdAttribute) continue;
    const attribute = table.attributes.get(column);
    if (!attribute) throw new SeedError(`Row ${label} has column '${column}', which table '${table.logicalName}' does not have.`);
    row[column] = seedValue(store, metadata, attribute.type, value, `${label}.${column}`);
  }
  if (table.logicalName === 'contact' && row.fullname === undefined) row.fullname = String(primaryName);
  const at = context.stamp();
  Object.assign(row, { createdon: at, modifiedon: at, createdonbehalfby: null, modifiedonbehalfby: null });
  if (table.ownershipType === 'UserOwned') {
    const owner = seedRow.$owner !== undefined ? context.owner(String(seedRow.$owner)) : context.defaultOwner;
    if (!owner) throw new SeedError(`Row ${label} needs an $owner: the seed has no users.`);
    const ownerRow = store.get(owner.table, owner.id);
    const unit = ownerRow?.businessunitid ?? null;
    row.ownerid = owner;
    row.owninguser = owner.table === 'systemuser' ? owner : null;
    row.owningteam = owner.table === 'team' ? owner : null;
    row.owningbusinessunit = unit;
    const creator = owner.table === 'systemuser' ? owner : (context.defaultOwner ?? null);
    row.createdby = creator;
    row.modifiedby = creator;
    row.statecode ??= 0;
    row.statuscode ??= 1;
  } else {
    row.createdby = context.defaultOwner ?? null;
    row.modifiedby = context.defaultOwner ?? null;
  }
  row.versionnumber = store.nextVersion();
  store.insert(table.logicalName, id, row);
}

function seedValue(store: Store, metadata: MetadataRegistry, type: AttributeType, value: unknown, where: string): ColumnValue {
  if (value === null) return null;
  switch (type) {
    case 'Lookup':
    case 'Customer':
    case 'Owner': {
      const ref = value as { table?: unknown; id?: unknown; name?: unknown };
      if (typeof ref !== 'object' || typeof ref.table !== 'string') {
        throw new SeedError(`${where} must be a lookup like {"table": "account", "id": "<guid>"}.`);
      }
      const target = metadata.table(ref.table);
      if (!target) throw new SeedError(`${where} points at table '${ref.table}', which does not exist.`);
      if (typeof ref.id === 'string') return { table: ref.table, id: idOr(ref.id, '', where) };
      if (typeof ref.name === 'string') {
        for (const candidate of store.rows(ref.table).values()) {
          if (candidate[target.primaryNameAttribute] === ref.name) return { table: ref.table, id: String(candidate[target.primaryIdAttribute]) };
        }
        throw new SeedError(`${where} names ${ref.table} '${ref.name}', which is not seeded before it.`);
      }
      throw new SeedError(`${where} needs an id or a name.`);
    }
    case 'Integer':
    case 'BigInt':
    case 'Picklist':
    case 'State':
    case 'Status':
      if (!Number.isInteger(value)) throw new SeedError(`${where} must be a whole number.`);
      return value as number;
    case 'Decimal':
    case 'Double':
    case 'Money':
      if (typeof value !== 'number') throw new SeedError(`${where} must be a number.`);
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw new SeedError(`${where} must be true or false.`);
      return value;
    case 'Uniqueidentifier':
      if (!isGuid(value)) throw new SeedError(`${where} must be a GUID.`);
      return normalizeGuid(value);
    case 'DateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new SeedError(`${where} must be an ISO date.`);
      return new Date(value).toISOString();
    default:
      if (typeof value !== 'string') throw new SeedError(`${where} must be a string.`);
      return value;
  }
}
