import { defineTable } from '../metadata/define.js';
import { MetadataRegistry } from '../metadata/registry.js';
import { MISCELLANEOUS_PRIVILEGES, systemTables } from '../metadata/system-tables.js';
import { privilegeName, privilegeVerbsFor, type AttributeType, type TableDef } from '../metadata/types.js';
import { keyTuple } from '../odata/alternate-key.js';
import { withSeedKeys } from './keys.js';
import { SeedError } from './seed-error.js';
import { deterministicGuid, isGuid, normalizeGuid } from '../ids.js';
import { isDepth } from '../security/depth.js';
import { Store } from '../store/store.js';
import type { ColumnValue, LookupValue, Row } from '../store/types.js';
import { readApplicationCertificate } from './application-certificate.js';
import { loadShares } from './shares.js';
import type { SeedDocument, SeedRow, SeedTable, SeedUser } from './types.js';

export { SeedError };

export interface ApplicationRegistration {
  userId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM text (the seed may name a file; the loader reads it). */
  certificate?: string;
  federatedSubjects: string[];
}

export interface LoadedOrganization {
  metadata: MetadataRegistry;
  store: Store;
  organizationId: string;
  organizationName: string;
  tenantId: string;
  rootBusinessUnitId: string;
  applications: ApplicationRegistration[];
}

const CUSTOM_OBJECT_TYPE_CODE_START = 10000;
const SEED_TIME = Date.parse('2026-01-05T09:00:00Z');

/** `baseDir`: where relative paths in the seed (application certificates) are resolved; default the working directory. */
export function loadSeed(seed: SeedDocument, options: { baseDir?: string } = {}): LoadedOrganization {
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed)) {
    throw new SeedError('The seed must be a JSON object.');
  }
  requireShape(seed);
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
  const store = new Store();
  const organizationName = seed.organization?.name ?? 'Contoso';
  const organizationId = idOr(seed.organization?.id, `organization:${organizationName}`, 'organization id');
  const tenantId = idOr(seed.organization?.tenantId, `tenant:${organizationName}`, 'organization tenantId');
  let clock = SEED_TIME;
  const stamp = (): string => new Date((clock += 60_000)).toISOString();

  // Privilege catalogue: every table's verbs plus the miscellaneous privileges.
  const privilegeIds = new Map<string, string>();
  const addPrivilege = (name: string, accessRight: number, orgOwned: boolean): void => {
    if (privilegeIds.has(name)) return;
    const id = deterministicGuid(`privilege:${name}`);
    privilegeIds.set(name, id);
    store.insert('privilege', id, {
      privilegeid: id,
      name,
      accessright: accessRight,
      canbebasic: !orgOwned,
      canbelocal: !orgOwned,
      canbedeep: !orgOwned,
      canbeglobal: true,
      versionnumber: store.nextVersion(),
    });
  };
  const ACCESS_RIGHTS: Record<string, number> = {
    Create: 32,
    Read: 1,
    Write: 2,
    Delete: 65536,
    Append: 4,
    AppendTo: 16,
    Assign: 524288,
    Share: 262144,
  };
  for (const table of metadata.all()) {
    if (table.logicalName === 'privilege') continue;
    for (const verb of privilegeVerbsFor(table)) {
      addPrivilege(privilegeName(verb, table), ACCESS_RIGHTS[verb] ?? 0, table.ownershipType === 'OrganizationOwned');
    }
  }
  for (const name of MISCELLANEOUS_PRIVILEGES) addPrivilege(name, 0, false);

  // Business units: exactly one root, parents named before use or anywhere in the list.
  const units = seed.businessUnits?.length ? seed.businessUnits : [{ name: organizationName }];
  const unitIds = new Map<string, string>();
  for (const unit of units) {
    if (!unit.name) throw new SeedError('Every business unit needs a name.');
    if (unitIds.has(unit.name)) throw new SeedError(`Business unit '${unit.name}' is declared twice.`);
    unitIds.set(unit.name, idOr(unit.id, `businessunit:${unit.name}`, `id of business unit '${unit.name}'`));
  }
  const roots = units.filter((unit) => !unit.parent);
  if (roots.length !== 1) throw new SeedError(`The seed must have exactly one root business unit (one without a parent); it has ${roots.length}.`);
  const rootBusinessUnitId = unitIds.get((roots[0] as { name: string }).name) as string;
  const unitRef = (name: string | undefined, context: string): LookupValue => {
    if (name === undefined) return { table: 'businessunit', id: rootBusinessUnitId };
    const id = unitIds.get(name);
    if (!id) throw new SeedError(`${context} names business unit '${name}', which the seed does not declare.`);
    return { table: 'businessunit', id };
  };
  for (const unit of units) {
    const id = unitIds.get(unit.name) as string;
    const parent = unit.parent ? unitRef(unit.parent, `Business unit '${unit.name}'`) : null;
    if (parent?.id === id) throw new SeedError(`Business unit '${unit.name}' cannot be its own parent.`);
    store.insert('businessunit', id, {
      businessunitid: id,
      name: unit.name,
      parentbusinessunitid: parent,
      isdisabled: false,
      owningbusinessunit: { table: 'businessunit', id },
      ...audit(stamp(), store.nextVersion()),
    });
  }

  // Roles with their privileges at a depth.
  const roleIds = new Map<string, string>();
  for (const role of seed.roles ?? []) {
    if (!role.name) throw new SeedError('Every role needs a name.');
    if (roleIds.has(role.name)) throw new SeedError(`Role '${role.name}' is declared twice.`);
    const id = idOr(role.id, `role:${role.name}`, `id of role '${role.name}'`);
    roleIds.set(role.name, id);
    const businessUnit = unitRef(role.businessUnit, `Role '${role.name}'`);
    store.insert('role', id, {
      roleid: id,
      name: role.name,
      businessunitid: businessUnit,
      owningbusinessunit: businessUnit,
      ismanaged: false,
      ...audit(stamp(), store.nextVersion()),
    });
    for (const [privilege, depth] of Object.entries(role.privileges ?? {})) {
      const privilegeId = privilegeIds.get(privilege);
      if (!privilegeId) throw new SeedError(`Role '${role.name}' names privilege '${privilege}', which does not exist.`);
      if (!isDepth(depth)) {
        throw new SeedError(`Role '${role.name}' gives '${privilege}' the depth '${String(depth)}'; use Basic, Local, Deep or Global.`);
      }
      store.associate('roleprivileges_association', id, privilegeId, depth);
    }
  }
  const roleRef = (name: string, context: string): string => {
    const id = roleIds.get(name);
    if (!id) throw new SeedError(`${context} names role '${name}', which the seed does not declare.`);
    return id;
  };

  // Users (application users included).
  const userIds = new Map<string, string>();
  const applications: ApplicationRegistration[] = [];
  for (const user of seed.users ?? []) {
    const id = loadUser(store, user, userIds, unitRef, stamp);
    for (const role of user.roles ?? []) store.associate('systemuserroles_association', id, roleRef(role, `User '${user.email}'`));
    if (user.application) {
      if (!isGuid(user.application.clientId)) {
        throw new SeedError(`Application user '${user.email}' needs a GUID clientId.`);
      }
      applications.push({
        userId: id,
        clientId: normalizeGuid(user.application.clientId),
        ...(user.application.clientSecret !== undefined ? { clientSecret: user.application.clientSecret } : {}),
        ...(user.application.certificate !== undefined
          ? { certificate: applicationCertificate(user.application.certificate, options.baseDir ?? '', user.email) }
          : {}),
        federatedSubjects: user.application.federatedSubjects ?? [],
      });
    }
  }
  const userRef = (email: string, context: string): string => {
    const id = userIds.get(email.toLowerCase());
    if (!id) throw new SeedError(`${context} names user '${email}', which the seed does not declare.`);
    return id;
  };

  // Teams, their members and roles.
  const teamIds = new Map<string, string>();
  for (const team of seed.teams ?? []) {
    if (!team.name) throw new SeedError('Every team needs a name.');
    if (teamIds.has(team.name)) throw new SeedError(`Team '${team.name}' is declared twice.`);
    const id = idOr(team.id, `team:${team.name}`, `id of team '${team.name}'`);
    teamIds.set(team.name, id);
    const businessUnit = unitRef(team.businessUnit, `Team '${team.name}'`);
    store.insert('team', id, {
      teamid: id,
      name: team.name,
      teamtype: team.teamType ?? 0,
      isdefault: false,
      azureactivedirectoryobjectid: null,
      businessunitid: businessUnit,
      owningbusinessunit: businessUnit,
      ...audit(stamp(), store.nextVersion()),
    });
    for (const member of team.members ?? []) store.associate('teammembership_association', userRef(member, `Team '${team.name}'`), id);
    for (const role of team.roles ?? []) store.associate('teamroles_association', id, roleRef(role, `Team '${team.name}'`));
  }

  store.insert('organization', organizationId, {
    organizationid: organizationId,
    name: organizationName,
    languagecode: 1033,
    ...audit(stamp(), store.nextVersion()),
  });

  // Data rows, owned by users or teams.
  const defaultOwner = applications[0]?.userId ?? userIds.values().next().value;
  for (const [logicalName, rows] of Object.entries(seed.rows ?? {})) {
    const table = metadata.table(logicalName);
    if (!table) throw new SeedError(`The seed has rows for table '${logicalName}', which does not exist.`);
    if (!Array.isArray(rows)) throw new SeedError(`The rows of '${logicalName}' must be an array.`);
    for (const seedRow of rows) {
      loadRow(store, metadata, table, seedRow, {
        owner: (name) => {
          const team = teamIds.get(name);
          if (team) return { table: 'team', id: team };
          return { table: 'systemuser', id: userRef(name, `A row of '${logicalName}'`) };
        },
        defaultOwner: defaultOwner ? { table: 'systemuser', id: defaultOwner } : undefined,
        stamp,
      });
    }
  }

  requireUniqueSeedKeys(metadata, store);
  loadShares(
    store,
    metadata,
    seed.shares ?? [],
    (name, context) => {
      const team = teamIds.get(name);
      return team ? { table: 'team', id: team } : { table: 'systemuser', id: userRef(name, context) };
    },
    (message) => new SeedError(message),
  );
  return { metadata, store, organizationId, organizationName, tenantId, rootBusinessUnitId, applications };
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

const SEED_KEYS: readonly string[] = ['organization', 'businessUnits', 'roles', 'users', 'teams', 'tables', 'keys', 'rows', 'shares'];

/** The top-level collections must be what the format says, so a hand-edited seed fails with a sentence, not a TypeError. */
function requireShape(seed: SeedDocument): void {
  // An unknown key is most likely a misspelt one ("user" for "users"): loading on would silently serve less.
  const unknown = Object.keys(seed).find((key) => !SEED_KEYS.includes(key));
  if (unknown !== undefined) throw new SeedError(`The seed has an unknown key '${unknown}'; the keys are ${SEED_KEYS.join(', ')}.`);
  for (const key of ['businessUnits', 'roles', 'users', 'teams', 'tables', 'keys', 'shares'] as const) {
    const value: unknown = seed[key];
    if (value !== undefined && !Array.isArray(value)) throw new SeedError(`The seed's "${key}" must be an array.`);
    if (Array.isArray(value) && value.some((item: unknown) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new SeedError(`Every item of the seed's "${key}" must be an object.`);
    }
  }
  const rows: unknown = seed.rows;
  if (rows !== undefined && (typeof rows !== 'object' || rows === null || Array.isArray(rows))) {
    throw new SeedError('The seed\'s "rows" must be an object of table names to arrays of rows.');
  }
}

function applicationCertificate(value: unknown, baseDir: string, email: string): string {
  if (typeof value !== 'string') throw new SeedError(`Application user '${email}': certificate must be inline PEM text or a file path.`);
  const read = readApplicationCertificate(value, baseDir);
  if ('problem' in read) throw new SeedError(`Application user '${email}': ${read.problem}.`);
  return read.pem;
}

function idOr(id: string | undefined, name: string, what: string): string {
  if (id === undefined) return deterministicGuid(name);
  if (!isGuid(id)) throw new SeedError(`The ${what} '${id}' is not a GUID.`);
  return normalizeGuid(id);
}

/** Audit columns, and the row version every real row has (its ETag: reads write `@odata.etag` from it). */
function audit(at: string, version: number): Row {
  return {
    versionnumber: version,
    createdon: at,
    modifiedon: at,
    createdby: null,
    modifiedby: null,
    createdonbehalfby: null,
    modifiedonbehalfby: null,
  };
}

function loadUser(
  store: Store,
  user: SeedUser,
  userIds: Map<string, string>,
  unitRef: (name: string | undefined, context: string) => LookupValue,
  stamp: () => string,
): string {
  if (!user.email || !user.fullname) throw new SeedError('Every user needs a fullname and an email.');
  const email = user.email.toLowerCase();
  if (userIds.has(email)) throw new SeedError(`User '${user.email}' is declared twice.`);
  const id = idOr(user.id, `systemuser:${email}`, `id of user '${user.email}'`);
  userIds.set(email, id);
  const objectId =
    user.objectId === null ? null : idOr(user.objectId, `entra-object:${email}`, `objectId of user '${user.email}'`);
  const businessUnit = unitRef(user.businessUnit, `User '${user.email}'`);
  const [firstname, ...rest] = user.fullname.split(' ');
  store.insert('systemuser', id, {
    systemuserid: id,
    fullname: user.fullname,
    firstname: firstname ?? '',
    lastname: rest.join(' '),
    internalemailaddress: user.email,
    domainname: user.domainname ?? user.email,
    title: user.title ?? null,
    azureactivedirectoryobjectid: objectId,
    applicationid: user.application ? normalizeGuid(user.application.clientId) : null,
    isdisabled: user.disabled === true,
    islicensed: !user.application,
    accessmode: user.accessMode ?? (user.application ? 4 : 0),
    businessunitid: businessUnit,
    owningbusinessunit: businessUnit,
    ...audit(stamp(), store.nextVersion()),
  });
  return id;
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
