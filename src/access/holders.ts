import type { DataverseClient } from '../dataverse/client.js';
import { Annotation } from '../dataverse/facts.js';
import { isRecord } from '../dataverse/odata.js';
import { toUserRecord, USER_SELECT } from '../users/user-record.js';
import { lower, roleRefs, text, type TeamRef, type UserWithRoles } from './facts.js';

/**
 * Who holds some roles, in two requests however large the organisation: the users assigned one
 * of them directly (with their roles), and the teams holding one (with their roles and members),
 * each query filtered on the N:N relationship
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#filter-using-values-from-related-tables)
 * and read page by page. Not one request per user: `who-can` on 2,000 users stays two requests.
 */
export async function holdersOf(client: DataverseClient, roleIds: readonly string[]): Promise<Map<string, UserWithRoles>> {
  const holders = new Map<string, UserWithRoles>();
  if (roleIds.length === 0) return holders;
  const anyRole = (navigation: string) => `${navigation}/any(r:${roleIds.map((id) => `r/roleid eq ${id}`).join(' or ')})`;
  const [direct, teams] = await Promise.all([
    client.retrieveMultiple(
      'systemusers',
      { select: USER_SELECT, filter: anyRole('systemuserroles_association'), expand: 'systemuserroles_association($select=name,roleid)' },
      { annotations: Annotation.FormattedValue, all: true },
    ),
    client.retrieveMultiple(
      'teams',
      {
        select: ['name', 'teamid', '_businessunitid_value'],
        filter: anyRole('teamroles_association'),
        expand: `teamroles_association($select=name,roleid),teammembership_association($select=${USER_SELECT.join(',')})`,
      },
      { annotations: Annotation.FormattedValue, all: true },
    ),
  ]);
  for (const row of direct.records) {
    const user = toUserRecord(row);
    if (user) holders.set(user.systemuserid, { user, directRoles: roleRefs(row.systemuserroles_association), teams: [] });
  }
  for (const row of teams.records) {
    const id = lower(row.teamid);
    if (!id) continue;
    const team: TeamRef = { id, name: text(row.name), businessUnitId: lower(row._businessunitid_value), roles: roleRefs(row.teamroles_association) };
    const members = Array.isArray(row.teammembership_association) ? row.teammembership_association.filter(isRecord) : [];
    for (const member of members) {
      const user = toUserRecord(member);
      if (!user) continue;
      const holder = holders.get(user.systemuserid) ?? { user, directRoles: [], teams: [] };
      holder.teams.push(team);
      holders.set(user.systemuserid, holder);
    }
  }
  return holders;
}

/** The members of some teams (the row's owning team, the teams it is shared with): teamid → member ids, one request. */
export async function membersOf(client: DataverseClient, teamIds: readonly string[]): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  if (teamIds.length === 0) return members;
  const page = await client.retrieveMultiple(
    'teams',
    { select: ['teamid'], filter: teamIds.map((id) => `teamid eq ${id}`).join(' or '), expand: 'teammembership_association($select=systemuserid)' },
    { all: true },
  );
  for (const row of page.records) {
    const id = lower(row.teamid);
    const users = Array.isArray(row.teammembership_association) ? row.teammembership_association.filter(isRecord) : [];
    if (id) members.set(id, users.map((user) => lower(user.systemuserid)).filter((userId): userId is string => userId !== null));
  }
  return members;
}
