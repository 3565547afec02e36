import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { Annotation } from '../dataverse/facts.js';
import { escapeXml } from '../dataverse/fetchxml.js';
import { isRecord, odataString, type DataverseRecord } from '../dataverse/odata.js';
import { toUserRecord, USER_SELECT, type UserRecord } from '../users/user-record.js';
import { DEPTHS, isDepth, type Depth } from './depth.js';
import type { BusinessUnit, Grant } from './verdict.js';

/**
 * What dvas reads from the Web API to reach a privilege verdict: users with their roles (direct
 * and through teams), which roles grant a privilege and at which depth, business units. Only
 * documented requests; nothing here decides anything (verdict.ts does).
 */

export interface RoleRef {
  roleId: string;
  name: string;
}

export interface TeamRef {
  id: string;
  name: string | null;
  businessUnitId: string | null;
  roles: RoleRef[];
}

export interface UserWithRoles {
  user: UserRecord;
  directRoles: RoleRef[];
  teams: TeamRef[];
}

const ROLE_SELECT = '$select=name,roleid';
/** One request: the user row, its roles, its teams and their roles (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables). */
const ROLES_EXPAND =
  `systemuserroles_association(${ROLE_SELECT}),` +
  `teammembership_association($select=name,teamid,_businessunitid_value;$expand=teamroles_association(${ROLE_SELECT}))`;

/**
 * Users by systemuserid, each with its roles and teams, in one request. A user the identity may not
 * read is simply missing from the answer; a refusal of the whole query gives an empty map.
 */
export async function readUsersWithRoles(client: DataverseClient, ids: readonly string[]): Promise<Map<string, UserWithRoles>> {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = new Map<string, UserWithRoles>();
  if (wanted.length === 0) return found;
  let rows: DataverseRecord[];
  try {
    const page = await client.retrieveMultiple(
      'systemusers',
      { select: USER_SELECT, filter: wanted.map((id) => `systemuserid eq ${id}`).join(' or '), expand: ROLES_EXPAND },
      { annotations: Annotation.FormattedValue, all: true },
    );
    rows = page.records;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return found;
    throw error;
  }
  for (const row of rows) {
    const user = toUserRecord(row);
    if (user) found.set(user.systemuserid, { user, directRoles: roleRefs(row.systemuserroles_association), teams: teamRefs(row.teammembership_association) });
  }
  return found;
}

export function roleRefs(value: unknown): RoleRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((role) => (typeof role.roleid === 'string' ? [{ roleId: role.roleid.toLowerCase(), name: text(role.name) ?? role.roleid }] : []));
}

function teamRefs(value: unknown): TeamRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((team) =>
    typeof team.teamid === 'string'
      ? [{ id: team.teamid.toLowerCase(), name: text(team.name), businessUnitId: lower(team._businessunitid_value), roles: roleRefs(team.teamroles_association) }]
      : [],
  );
}

export interface GrantingRole {
  roleId: string;
  name: string;
  /** Which of the privileges asked about it grants, in lower case. */
  privileges: ReadonlySet<string>;
}

/**
 * Which roles of the organisation hold any of these privileges, and which of them each holds, in
 * one request (the role's privileges expanded, filtered to the ones asked about).
 */
export async function rolesGranting(client: DataverseClient, privileges: readonly string[]): Promise<Map<string, GrantingRole>> {
  const names = (alias: string) => privileges.map((name) => `${alias}name eq ${odataString(name)}`).join(' or ');
  const page = await client.retrieveMultiple(
    'roles',
    { select: ['name', 'roleid'], filter: `roleprivileges_association/any(p:${names('p/')})`, expand: `roleprivileges_association($select=name;$filter=${names('')})` },
    { all: true },
  );
  const roles = new Map<string, GrantingRole>();
  for (const row of page.records) {
    const [role] = roleRefs([row]);
    if (!role) continue;
    const granted = Array.isArray(row.roleprivileges_association) ? row.roleprivileges_association.filter(isRecord).map((entry) => lower(entry.name)) : [];
    roles.set(role.roleId, { ...role, privileges: new Set(granted.filter((name): name is string => name !== null)) });
  }
  return roles;
}

export interface GrantingRoleWithDepths extends GrantingRole {
  /** The depth at which it grants each of them, by lower-case name. */
  depths: ReadonlyMap<string, Depth>;
}

/**
 * Which roles of the organisation hold any of these privileges, and at which depth, in one request
 * however many roles there are: FetchXML from role through the `roleprivileges` intersect table
 * (its `privilegedepthmask`) to the privilege, filtered on the names
 * (https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/link-entity,
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/roleprivileges).
 * The mask is Basic 1, Local 2, Deep 4, Global 8 (docs/access-checks.md).
 */
export async function rolesGrantingWithDepths(client: DataverseClient, privileges: readonly string[]): Promise<Map<string, GrantingRoleWithDepths>> {
  const values = privileges.map((name) => `<value>${escapeXml(name)}</value>`).join('');
  const fetchXml =
    '<fetch><entity name="role"><attribute name="name"/><attribute name="roleid"/>' +
    '<link-entity name="roleprivileges" from="roleid" to="roleid" intersect="true" alias="rp"><attribute name="privilegedepthmask"/>' +
    `<link-entity name="privilege" from="privilegeid" to="privilegeid" alias="p"><attribute name="name"/><filter><condition attribute="name" operator="in">${values}</condition></filter></link-entity>` +
    '</link-entity></entity></fetch>';
  const roles = new Map<string, { roleId: string; name: string; depths: Map<string, Depth> }>();
  for await (const page of client.fetchXmlPages('roles', fetchXml, { all: true })) {
    for (const row of page.records) {
      const [role] = roleRefs([row]);
      const privilege = lower(row['p.name']);
      const depth = depthOfMask(row['rp.privilegedepthmask']);
      if (!role || !privilege || !depth) continue;
      const entry = roles.get(role.roleId) ?? { ...role, depths: new Map<string, Depth>() };
      entry.depths.set(privilege, depth);
      roles.set(role.roleId, entry);
    }
  }
  return new Map([...roles].map(([id, role]) => [id, { ...role, privileges: new Set(role.depths.keys()) }]));
}

/** A `privilegedepthmask` (1, 2, 4, 8) as its depth; a mask with several bits is its widest. */
function depthOfMask(value: unknown): Depth | undefined {
  if (typeof value !== 'number') return undefined;
  return [...DEPTHS].reverse().find((_, index) => (value & (8 >> index)) !== 0);
}

/** Each role's depth of one privilege (absent: the role lacks it). */
export function depthsOf(granting: ReadonlyMap<string, GrantingRoleWithDepths>, privilege: string): Map<string, Depth> {
  const wanted = privilege.toLowerCase();
  return new Map([...granting].flatMap(([id, role]) => {
    const depth = role.depths.get(wanted);
    return depth ? [[id, depth] as const] : [];
  }));
}

/** The roles that grant one privilege, by name. */
export function rolesWith(granting: ReadonlyMap<string, GrantingRole>, privilege: string): RoleRef[] {
  const wanted = privilege.toLowerCase();
  return [...granting.values()].filter((role) => role.privileges.has(wanted)).map(({ roleId, name }) => ({ roleId, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Each role's privileges with their depths, from RetrieveRolePrivilegesRole
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveroleprivilegesrole),
 * asked once per role and run, several at a time.
 */
export class RolePrivileges {
  private readonly byRole = new Map<string, Promise<readonly NamedDepth[]>>();

  constructor(private readonly client: DataverseClient) {}

  /** The role's privileges by lower-case name. */
  async of(roleId: string): Promise<ReadonlyMap<string, Depth>> {
    return new Map((await this.named(roleId)).map((entry) => [entry.name.toLowerCase(), entry.depth]));
  }

  /** The role's privileges as the service names them, with their depths. */
  named(roleId: string): Promise<readonly NamedDepth[]> {
    let privileges = this.byRole.get(roleId);
    if (!privileges) {
      privileges = this.fetch(roleId);
      this.byRole.set(roleId, privileges);
    }
    return privileges;
  }

  /** The depth of one privilege in each of these roles (absent: the role lacks it). */
  async depths(roleIds: Iterable<string>, privilege: string): Promise<Map<string, Depth>> {
    const ids = [...new Set(roleIds)];
    const depths = new Map<string, Depth>();
    await inBatches(ids, 8, async (roleId) => {
      const depth = (await this.of(roleId)).get(privilege.toLowerCase());
      if (depth) depths.set(roleId, depth);
    });
    return depths;
  }

  /** Every privilege of each of these roles, several roles at a time: roleid → its privileges. */
  async all(roleIds: Iterable<string>): Promise<Map<string, readonly NamedDepth[]>> {
    const ids = [...new Set(roleIds)];
    const found = new Map<string, readonly NamedDepth[]>();
    await inBatches(ids, 8, async (roleId) => void found.set(roleId, await this.named(roleId)));
    return found;
  }

  private async fetch(roleId: string): Promise<readonly NamedDepth[]> {
    const { body } = await this.client.send({ method: 'GET', path: `RetrieveRolePrivilegesRole(RoleId=${roleId})` });
    const entries = isRecord(body) && Array.isArray(body.RolePrivileges) ? body.RolePrivileges.filter(isRecord) : [];
    return entries.flatMap((entry) => (typeof entry.PrivilegeName === 'string' && isDepth(entry.Depth) ? [{ name: entry.PrivilegeName, depth: entry.Depth }] : []));
  }
}

export interface NamedDepth {
  name: string;
  depth: Depth;
}

/**
 * A user's grants of one privilege: each of its roles that holds it, directly (measured from the
 * user's business unit) or through a team (from the team's), as Microsoft's owner teams work.
 */
export function grantsOf(holder: UserWithRoles, depths: ReadonlyMap<string, Depth>): Grant[] {
  const grants: Grant[] = [];
  for (const role of holder.directRoles) {
    const depth = depths.get(role.roleId);
    if (depth) grants.push({ roleId: role.roleId, roleName: role.name, depth, businessUnitId: holder.user.businessunitid });
  }
  for (const team of holder.teams) {
    for (const role of team.roles) {
      const depth = depths.get(role.roleId);
      if (depth) grants.push({ roleId: role.roleId, roleName: role.name, depth, team: { id: team.id, name: team.name }, businessUnitId: team.businessUnitId ?? holder.user.businessunitid });
    }
  }
  return grants;
}

/** Every role id a user holds, directly or through a team. */
export function roleIdsOf(holder: UserWithRoles): string[] {
  return [...holder.directRoles.map((role) => role.roleId), ...holder.teams.flatMap((team) => team.roles.map((role) => role.roleId))];
}

/** The business units, for Deep (a unit and those below it). */
export async function readBusinessUnits(client: DataverseClient): Promise<Map<string, BusinessUnit> | undefined> {
  try {
    const page = await client.retrieveMultiple('businessunits', { select: ['name', 'businessunitid', '_parentbusinessunitid_value'] }, { all: true });
    const units = new Map<string, BusinessUnit>();
    for (const row of page.records) {
      const id = lower(row.businessunitid);
      if (id) units.set(id, { id, name: text(row.name), parentId: lower(row._parentbusinessunitid_value) });
    }
    return units;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return undefined;
    throw error;
  }
}

/** Runs `work` over the items, at most `size` at a time. */
export async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(workers);
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function lower(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : null;
}

export interface TableSecurity {
  logicalName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string | null;
  organizationOwned: boolean;
  /** Rows have an owner (ownerid) and an owning business unit; business-owned tables (team, systemuser) have neither. */
  userOwned: boolean;
  /** Privilege name by PrivilegeType (Create, Read, …), from EntityMetadata.Privileges. */
  privileges: ReadonlyMap<string, string>;
}

/**
 * A table's names, ownership and privilege names in one EntityDefinitions request
 * (EntityMetadata.Privileges: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/entitymetadata):
 * reading users is prvReadUser, which no rule on the table's name would give.
 */
export async function readTableSecurity(client: DataverseClient, name: string): Promise<TableSecurity> {
  const { definition, record: body } = await client.entityDefinitionWith(name, ['OwnershipType', 'Privileges']);
  const privileges = new Map<string, string>();
  if (Array.isArray(body.Privileges)) {
    for (const entry of body.Privileges.filter(isRecord)) {
      if (typeof entry.PrivilegeType === 'string' && typeof entry.Name === 'string') privileges.set(entry.PrivilegeType.toLowerCase(), entry.Name);
    }
  }
  const ownership = body.OwnershipType;
  return {
    logicalName: definition.LogicalName,
    entitySetName: definition.EntitySetName,
    primaryIdAttribute: definition.PrimaryIdAttribute,
    primaryNameAttribute: definition.PrimaryNameAttribute,
    organizationOwned: ownership === 'OrganizationOwned',
    userOwned: ownership === 'UserOwned',
    privileges,
  };
}
