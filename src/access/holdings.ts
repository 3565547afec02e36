import { deeper, depthRank, shallower, type Depth } from './depth.js';
import type { NamedDepth, UserWithRoles } from './facts.js';
import { grantsOf } from './facts.js';
import { ACT_ON_BEHALF, type Grant } from './verdict.js';

/**
 * Every privilege a user holds, from the roles they hold directly and through their teams: the
 * union, at the deepest depth any source gives, every source kept
 * (https://learn.microsoft.com/power-platform/admin/security-roles-privileges). Under
 * impersonation the privileges that apply are those both users hold, each at the lesser of the two
 * depths (https://learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
 * Pure: `roles --privileges`, `roles --effective` and `who-can` share it.
 */

export interface HeldPrivilege {
  privilege: string;
  depth: Depth;
  /** Every role that grants it, directly or through a team; deepest first. */
  sources: Grant[];
}

export interface EffectivePrivilege {
  privilege: string;
  /** The lesser of the two: what applies when the signed-in identity acts as the other user. */
  depth: Depth;
  signedIn: HeldPrivilege;
  actedAs: HeldPrivilege;
}

/** A user's privileges by name (sorted), given each of their roles' privileges. */
export function holdingsOf(holder: UserWithRoles, privilegesByRole: ReadonlyMap<string, readonly NamedDepth[]>): HeldPrivilege[] {
  const names = new Map<string, string>();
  const depthsByPrivilege = new Map<string, Map<string, Depth>>();
  for (const [roleId, privileges] of privilegesByRole) {
    for (const { name, depth } of privileges) {
      const key = name.toLowerCase();
      if (!names.has(key)) names.set(key, name);
      let depths = depthsByPrivilege.get(key);
      if (!depths) depthsByPrivilege.set(key, (depths = new Map()));
      depths.set(roleId, depth);
    }
  }
  const held: HeldPrivilege[] = [];
  for (const [key, depths] of depthsByPrivilege) {
    const sources = sortSources(grantsOf(holder, depths));
    const [deepest] = sources;
    if (deepest) held.push({ privilege: names.get(key) ?? key, depth: sources.reduce<Depth>((widest, source) => deeper(widest, source.depth), deepest.depth), sources });
  }
  return held.sort((a, b) => a.privilege.localeCompare(b.privilege));
}

/** What applies under impersonation: the privileges both hold, each at the lesser depth. */
export function intersect(signedIn: readonly HeldPrivilege[], actedAs: readonly HeldPrivilege[]): EffectivePrivilege[] {
  const callers = new Map(signedIn.map((held) => [held.privilege.toLowerCase(), held]));
  return actedAs.flatMap((target) => {
    const caller = callers.get(target.privilege.toLowerCase());
    return caller ? [{ privilege: target.privilege, depth: shallower(caller.depth, target.depth), signedIn: caller, actedAs: target }] : [];
  });
}

export interface ActOnBehalf {
  /** Whether it may act on behalf of anyone at all: prvActOnBehalfOfAnotherUser from a role assigned directly. */
  may: boolean;
  directRoles: string[];
  /** Roles that hold it only through a team: they do not count. */
  teamRoles: string[];
}

export function actOnBehalfOf(held: readonly HeldPrivilege[]): ActOnBehalf {
  const sources = held.find((entry) => entry.privilege.toLowerCase() === ACT_ON_BEHALF.toLowerCase())?.sources ?? [];
  const directRoles = [...new Set(sources.filter((source) => !source.team).map((source) => source.roleName))];
  const teamRoles = [...new Set(sources.filter((source) => source.team).map((source) => source.roleName))];
  return { may: directRoles.length > 0, directRoles, teamRoles };
}

function sortSources(sources: Grant[]): Grant[] {
  return sources.sort((a, b) => depthRank(b.depth) - depthRank(a.depth) || a.roleName.localeCompare(b.roleName) || (a.team?.name ?? '').localeCompare(b.team?.name ?? ''));
}
