import type { CliContext } from '../../context.js';
import type { DataverseClient } from '../../dataverse/client.js';
import { Annotation, annotationOf } from '../../dataverse/facts.js';
import { includeAnnotations, isRecord, recordPath, type DataverseRecord } from '../../dataverse/odata.js';
import { noteOfflineUserLookup, openSession, type DataverseSession } from '../../impersonation/session.js';
import { parseAsUser } from '../../options/as-user.js';
import { findUser } from '../../users/find-user.js';
import { describeUser } from '../../users/user-record.js';
import type { RoleAssignment } from './view.js';

const ROLE_SELECT = 'name,roleid,_businessunitid_value';
const BUSINESS_UNIT_NAME = annotationOf('_businessunitid_value', Annotation.FormattedValue);

/**
 * `dvas roles [user]`: the user's security roles, each with its business unit and where it comes
 * from, in two requests (docs/dataverse-web-api.md §5.2): the roles assigned directly, and the user's teams with
 * their roles. Team roles matter: they count for data privileges, but not for acting on behalf of
 * another user. Without a user, the roles of whom requests run as (WhoAmI: the --as user under --as).
 */
export async function runRoles(userArgument: string | undefined, ctx: CliContext): Promise<RoleAssignment[]> {
  const session = await openSession(ctx);
  const named = userArgument === undefined ? undefined : await lookUpUser(userArgument, session, ctx);
  // WhoAmI only finds whose roles to read (a lookup, sent under --dry-run); reading them is the operation.
  const userId = named ?? (await session.client.lookups().whoAmI()).UserId;
  const direct = await related(session.client, userId, 'systemuserroles_association', { $select: ROLE_SELECT });
  const teams = await related(session.client, userId, 'teammembership_association', {
    $select: 'name,teamid',
    $expand: `teamroles_association($select=${ROLE_SELECT})`,
  });
  const roles = [
    ...direct.map((role) => assignment(role, undefined)),
    ...teams.flatMap((team) => (Array.isArray(team.teamroles_association) ? team.teamroles_association.filter(isRecord) : []).map((role) => assignment(role, team))),
  ];
  if (roles.length === 0) ctx.messages.hint('This user has no security role, directly or through a team.');
  return roles.sort((left, right) => left.name.localeCompare(right.name) || left.assignment.localeCompare(right.assignment));
}

/** The systemuserid of the user argument, which takes every --as form; looked up as the signed-in identity. */
async function lookUpUser(userArgument: string, session: DataverseSession, ctx: CliContext): Promise<string> {
  const asUser = parseAsUser(userArgument, 'The user argument');
  // A systemuserid is read too, to name the user in the note and check it names one; under
  // --dry-run --offline nothing may be sent, so it is used unchecked. A name or an Entra object id
  // has to be looked up to give a systemuserid, and offline that lookup is the request shown.
  if (asUser.kind === 'systemuserid' && ctx.options.offline) return asUser.id;
  if (ctx.options.offline) noteOfflineUserLookup(ctx, asUser, 'give the user as a systemuserid');
  const lookup = await findUser(asUser, session.caller.lookups());
  if (lookup.user) {
    ctx.messages.note(`Security roles of ${describeUser(lookup.user)}:`);
    return lookup.user.systemuserid;
  }
  if (asUser.kind === 'systemuserid') return asUser.id;
  // An Entra object id has to be looked up to give a systemuserid, and the identity may not look.
  throw lookup.unchecked;
}

async function related(client: DataverseClient, userId: string, navigation: string, query: Record<string, string>): Promise<DataverseRecord[]> {
  const { body } = await client.send({
    method: 'GET',
    path: `${recordPath('systemusers', userId)}/${navigation}`,
    query,
    prefer: [includeAnnotations(Annotation.FormattedValue)],
  });
  return isRecord(body) && Array.isArray(body.value) ? body.value.filter(isRecord) : [];
}

function assignment(role: DataverseRecord, team: DataverseRecord | undefined): RoleAssignment {
  return {
    roleid: text(role.roleid) ?? '',
    name: text(role.name) ?? '',
    businessunitid: text(role._businessunitid_value),
    businessunitname: text(role[BUSINESS_UNIT_NAME]),
    assignment: team ? 'team' : 'direct',
    teamid: team ? text(team.teamid) : null,
    teamname: team ? text(team.name) : null,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
