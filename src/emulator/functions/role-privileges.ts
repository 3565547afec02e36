import { depthRank, type Depth } from '../security/depth.js';
import type { Holding, SecurityModel } from '../security/model.js';

/** One `RolePrivilege` complex type, keys in the order the service writes them (docs/dataverse-web-api.md §5.3). */
export interface RolePrivilege {
  Depth: Depth;
  PrivilegeId: string;
  BusinessUnitId: string;
  PrivilegeName: string;
}

export interface RolePrivilegeOptions {
  /**
   * RetrieveUserPrivileges reports privileges inherited through teams at Basic depth whatever
   * the team role grants; the ByName/ById/SetOf functions report the team role's real depth.
   */
  teamDepthAsBasic: boolean;
  /** ExcludeTeamBasic: leave out team-inherited privileges whose (reported) depth is Basic. */
  excludeTeamBasic: boolean;
}

/**
 * The RolePrivilege entries for a user's holdings: one per privilege and business unit the
 * depth is measured from (the user's own unit for directly assigned roles, the team's unit for a
 * team's roles), at the widest depth granted there. Sorted by name for a stable answer.
 */
export function rolePrivileges(
  model: SecurityModel,
  userId: string,
  filter: (holding: Holding) => boolean,
  options: RolePrivilegeOptions,
): RolePrivilege[] {
  const entries = new Map<string, RolePrivilege>();
  for (const holding of model.holdings(userId).values()) {
    if (!filter(holding)) continue;
    for (const grant of holding.grants) {
      const fromTeam = grant.teamId !== undefined;
      const depth: Depth = fromTeam && options.teamDepthAsBasic ? 'Basic' : grant.depth;
      if (fromTeam && options.excludeTeamBasic && depth === 'Basic') continue;
      const key = `${holding.name}\n${grant.businessUnitId}`;
      const existing = entries.get(key);
      if (existing && depthRank(existing.Depth) >= depthRank(depth)) continue;
      entries.set(key, { Depth: depth, PrivilegeId: holding.privilegeId, BusinessUnitId: grant.businessUnitId, PrivilegeName: holding.name });
    }
  }
  return [...entries.values()].sort(
    (a, b) => a.PrivilegeName.localeCompare(b.PrivilegeName) || a.BusinessUnitId.localeCompare(b.BusinessUnitId),
  );
}
