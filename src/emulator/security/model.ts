import { privilegeName, type PrivilegeVerb, type TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import { isLookupValue, type Row } from '../store/types.js';
import { isDepth, narrowerDepth, widerDepth, type Depth } from './depth.js';
import { rightOf, SHARE_TABLE, type ShareRow } from './shares.js';
import { userDirectory } from '../store/user-directory.js';

/**
 * One way a user holds a privilege: through a role assigned directly, or through a team's role.
 * Depth is evaluated relative to the holder: the user for direct roles, the team for team roles
 * (records the team owns; the team's business unit), as Dataverse's owner teams work.
 */
export interface Grant {
  depth: Depth;
  roleId: string;
  /** Set when the grant comes through a team. */
  teamId?: string;
  /** Owners whose rows a Basic grant covers: the user and the user's teams, or the team (and its member). */
  ownerIds: ReadonlySet<string>;
  /** The business unit Local and Deep are measured from. */
  businessUnitId: string;
}

export interface Holding {
  privilegeId: string;
  name: string;
  grants: Grant[];
  /** Widest depth over all grants. */
  depth: Depth;
  /** Widest depth over directly assigned roles only (undefined: none). */
  directDepth?: Depth;
}

/** Who a request runs as: the token's user (the caller) and, under impersonation, the user it acts for. */
export interface Principal {
  callerId: string;
  caller: Row;
  userId: string;
  user: Row;
  impersonating: boolean;
}

/** A user acting in its own right: the caller of a request without impersonation, or the subject of a privilege question. */
export function ownPrincipal(user: Row): Principal {
  const id = String(user.systemuserid);
  return { callerId: id, caller: user, userId: id, user, impersonating: false };
}

/** Who a share must name to count for a principal (the user and its teams, or the team), and the right it must give. */
export interface ShareCheck {
  holders: ReadonlySet<string>;
  right: number;
}

/**
 * What a principal may touch for one privilege: the grants, already intersected under
 * impersonation, and the shares that count. A share counts only once the privilege is held at
 * some depth (Microsoft: shared access is checked "provided the user passed the privilege check").
 */
export class AccessScope {
  constructor(
    private readonly model: SecurityModel,
    readonly grants: readonly Grant[],
    readonly depth: Depth,
    private readonly shares?: ShareCheck,
  ) {}

  covers(table: TableDef, row: Row): boolean {
    if (table.ownershipType === 'OrganizationOwned' || table.ownershipType === 'None') return true;
    for (const grant of this.grants) {
      if (this.model.grantCovers(grant, table, row)) return true;
    }
    return this.shares !== undefined && this.model.sharedRights(table, row, this.shares.holders) & this.shares.right ? true : false;
  }
}

/**
 * Dataverse's role-based security, computed from the store: business units in a tree; roles whose
 * privileges carry a depth; roles held directly and through teams (their union is what a user
 * holds); record ownership. Results are cached until the store's security version changes.
 */
export class SecurityModel {
  private cacheVersion = -1;
  private readonly holdingsCache = new Map<string, Map<string, Holding>>();
  private readonly subtreeCache = new Map<string, ReadonlySet<string>>();
  private privilegesByName = new Map<string, Row>();
  private sharesByObject = new Map<string, ShareRow[]>();

  constructor(private readonly store: Store) {}

  private refresh(): void {
    if (this.cacheVersion === this.store.securityVersion) return;
    this.cacheVersion = this.store.securityVersion;
    this.holdingsCache.clear();
    this.subtreeCache.clear();
    this.privilegesByName = new Map();
    for (const row of this.store.rows('privilege').values()) this.privilegesByName.set(String(row.name), row);
    this.sharesByObject = new Map();
    for (const share of this.store.rows(SHARE_TABLE).values() as Iterable<ShareRow>) {
      const list = this.sharesByObject.get(share.objectid) ?? [];
      list.push(share);
      this.sharesByObject.set(share.objectid, list);
    }
  }

  privilege(name: string): Row | undefined {
    this.refresh();
    return this.privilegesByName.get(name);
  }

  privilegeCount(): number {
    this.refresh();
    return this.privilegesByName.size;
  }

  userByObjectId(objectId: string): Row | undefined {
    return userDirectory(this.store).byEntraObjectId(objectId);
  }

  userByApplicationId(applicationId: string): Row | undefined {
    return userDirectory(this.store).byApplication(applicationId);
  }

  /** On-premises users have no Entra object id: their tokens name them by UPN / domain name. */
  userByDomainName(domainName: string): Row | undefined {
    return userDirectory(this.store).byDomain(domainName);
  }

  user(userId: string): Row | undefined {
    return this.store.get('systemuser', userId);
  }

  businessUnitOf(row: Row): string | undefined {
    const value = row.businessunitid;
    return isLookupValue(value) ? value.id : undefined;
  }

  directRoleIds(userId: string): string[] {
    return [...this.store.associated('systemuserroles_association', userId, true)];
  }

  teamIds(userId: string): string[] {
    return [...this.store.associated('teammembership_association', userId, true)];
  }

  teamRoleIds(teamId: string): string[] {
    return [...this.store.associated('teamroles_association', teamId, true)];
  }

  rolePrivileges(roleId: string): Array<{ privilegeId: string; depth: Depth }> {
    const result: Array<{ privilegeId: string; depth: Depth }> = [];
    for (const privilegeId of this.store.associated('roleprivileges_association', roleId, true)) {
      const depth = this.store.associationData('roleprivileges_association', roleId, privilegeId);
      result.push({ privilegeId, depth: isDepth(depth) ? depth : 'Global' });
    }
    return result;
  }

  /** The business unit and every business unit below it. */
  businessUnitSubtree(businessUnitId: string): ReadonlySet<string> {
    this.refresh();
    let subtree = this.subtreeCache.get(businessUnitId);
    if (!subtree) {
      const children = new Map<string, string[]>();
      for (const unit of this.store.rows('businessunit').values()) {
        const parent = unit.parentbusinessunitid;
        if (isLookupValue(parent)) {
          const list = children.get(parent.id) ?? [];
          list.push(String(unit.businessunitid));
          children.set(parent.id, list);
        }
      }
      const found = new Set<string>();
      const pending = [businessUnitId];
      while (pending.length > 0) {
        const next = pending.pop() as string;
        if (found.has(next)) continue;
        found.add(next);
        pending.push(...(children.get(next) ?? []));
      }
      subtree = found;
      this.subtreeCache.set(businessUnitId, subtree);
    }
    return subtree;
  }

  /** Every privilege the user holds, by name, with how it is held. */
  holdings(userId: string): ReadonlyMap<string, Holding> {
    this.refresh();
    let holdings = this.holdingsCache.get(userId);
    if (holdings) return holdings;
    holdings = new Map();
    const user = this.user(userId);
    const userBusinessUnit = user ? (this.businessUnitOf(user) ?? '') : '';
    const teams = this.teamIds(userId);
    const userOwners = new Set([userId, ...teams]);
    for (const roleId of this.directRoleIds(userId)) {
      for (const { privilegeId, depth } of this.rolePrivileges(roleId)) {
        this.addGrant(holdings, privilegeId, { depth, roleId, ownerIds: userOwners, businessUnitId: userBusinessUnit }, true);
      }
    }
    // Ownership counts at any depth, through any team the user belongs to (Microsoft's access check).
    for (const teamId of teams) this.addTeamGrants(holdings, teamId, userOwners, userBusinessUnit);
    this.holdingsCache.set(userId, holdings);
    return holdings;
  }

  /**
   * What a team holds in its own right (RetrievePrincipalAccess on a team, a team as a new owner):
   * its roles' privileges, Basic reaching the rows the team owns, Local/Deep from its business unit.
   * Cached with the users' holdings, under a key no user id can take.
   */
  teamHoldings(teamId: string): ReadonlyMap<string, Holding> {
    this.refresh();
    const cacheKey = `team:${teamId}`;
    let holdings = this.holdingsCache.get(cacheKey);
    if (holdings) return holdings;
    holdings = new Map();
    // Every team has a business unit (the seed and create give it one); without it Local/Deep reach nothing.
    this.addTeamGrants(holdings, teamId, new Set([teamId]), '');
    this.holdingsCache.set(cacheKey, holdings);
    return holdings;
  }

  /** The scope a team has for a table privilege in its own right, or undefined when it has none. */
  teamAccess(teamId: string, verb: PrivilegeVerb, table: TableDef): AccessScope | undefined {
    const held = this.teamHoldings(teamId).get(privilegeName(verb, table));
    return held ? new AccessScope(this, held.grants, held.depth, { holders: new Set([teamId]), right: rightOf(verb) }) : undefined;
  }

  private addTeamGrants(holdings: Map<string, Holding>, teamId: string, ownerIds: ReadonlySet<string>, fallbackBusinessUnit: string): void {
    const team = this.store.get('team', teamId);
    const businessUnitId = team ? (this.businessUnitOf(team) ?? fallbackBusinessUnit) : fallbackBusinessUnit;
    for (const roleId of this.teamRoleIds(teamId)) {
      for (const { privilegeId, depth } of this.rolePrivileges(roleId)) {
        this.addGrant(holdings, privilegeId, { depth, roleId, teamId, ownerIds, businessUnitId }, false);
      }
    }
  }

  private addGrant(holdings: Map<string, Holding>, privilegeId: string, grant: Grant, direct: boolean): void {
    const privilege = this.store.get('privilege', privilegeId);
    if (!privilege) return;
    const name = String(privilege.name);
    let holding = holdings.get(name);
    if (!holding) {
      holding = { privilegeId, name, grants: [], depth: grant.depth };
      holdings.set(name, holding);
    }
    holding.grants.push(grant);
    holding.depth = widerDepth(holding.depth, grant.depth);
    if (direct) holding.directDepth = holding.directDepth ? widerDepth(holding.directDepth, grant.depth) : grant.depth;
  }

  /** Distinct roles a user holds, directly or through teams (the "roleCount" of privilege messages). */
  roleCount(userId: string): number {
    const roles = new Set(this.directRoleIds(userId));
    for (const teamId of this.teamIds(userId)) for (const roleId of this.teamRoleIds(teamId)) roles.add(roleId);
    return roles.size;
  }

  /**
   * The scope a principal has for a table privilege, or undefined when it has none. Under
   * impersonation both users must hold the privilege and the depth is the lesser of the two,
   * measured from the impersonated user (docs/dataverse-web-api.md §1.2, §1.2).
   */
  access(principal: Principal, verb: PrivilegeVerb, table: TableDef): AccessScope | undefined {
    return this.accessByName(principal, privilegeName(verb, table), rightOf(verb));
  }

  /**
   * Whether a principal holds a privilege that is not tied to rows (prvBulkDelete…) at any depth;
   * under impersonation both users must hold it, as for table privileges.
   */
  holdsPrivilege(principal: Principal, name: string): boolean {
    if (!this.holdings(principal.userId).has(name)) return false;
    return !principal.impersonating || this.holdings(principal.callerId).has(name);
  }

  /** Shares count for the user the request runs as (the one acted as under impersonation) and its teams. */
  private accessByName(principal: Principal, name: string, right: number): AccessScope | undefined {
    const held = this.holdings(principal.userId).get(name);
    if (!held) return undefined;
    const shares = { holders: new Set([principal.userId, ...this.teamIds(principal.userId)]), right };
    if (!principal.impersonating) return new AccessScope(this, held.grants, held.depth, shares);
    const callerHeld = this.holdings(principal.callerId).get(name);
    if (!callerHeld) return undefined;
    const cap = callerHeld.depth;
    const grants = held.grants.map((grant) => ({ ...grant, depth: narrowerDepth(grant.depth, cap) }));
    return new AccessScope(this, grants, narrowerDepth(held.depth, cap), shares);
  }

  /** The shares of one record, as principalobjectaccess rows. */
  sharesOf(objectId: string): readonly ShareRow[] {
    this.refresh();
    return this.sharesByObject.get(objectId) ?? [];
  }

  /** The union of the rights shares of this row give to any of these principals. */
  sharedRights(table: TableDef, row: Row, holders: ReadonlySet<string>): number {
    const id = row[table.primaryIdAttribute];
    if (typeof id !== 'string') return 0;
    let mask = 0;
    for (const share of this.sharesOf(id)) if (holders.has(share.principalid)) mask |= share.accessrightsmask;
    return mask;
  }

  /** Whether one grant reaches a row, by the row's owner and owning business unit. */
  grantCovers(grant: Grant, table: TableDef, row: Row): boolean {
    if (grant.depth === 'Global') return true;
    // Owning the row (or a team of the user owning it) reaches it at any depth, in any business unit.
    const rowOwner = row.ownerid;
    if (isLookupValue(rowOwner) && grant.ownerIds.has(rowOwner.id)) return true;
    const rowBusinessUnit = this.owningBusinessUnit(table, row);
    if (grant.depth === 'Deep') {
      return rowBusinessUnit !== undefined && this.businessUnitSubtree(grant.businessUnitId).has(rowBusinessUnit);
    }
    if (grant.depth === 'Local') return rowBusinessUnit === grant.businessUnitId;
    // Basic: rows the holder owns. Business-owned tables have no user owner; a user's own record
    // and the teams a user belongs to are what Basic reaches there.
    const owner = row.ownerid;
    if (isLookupValue(owner)) return grant.ownerIds.has(owner.id);
    const id = row[table.primaryIdAttribute];
    return typeof id === 'string' && grant.ownerIds.has(id);
  }

  owningBusinessUnit(table: TableDef, row: Row): string | undefined {
    const owning = row.owningbusinessunit;
    if (isLookupValue(owning)) return owning.id;
    if (table.logicalName === 'businessunit') return String(row.businessunitid);
    const unit = row.businessunitid;
    return isLookupValue(unit) ? unit.id : undefined;
  }
}
