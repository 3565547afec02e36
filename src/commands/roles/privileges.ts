import { readTableSecurity, readUsersWithRoles, roleIdsOf, RolePrivileges, type UserWithRoles } from '../../access/facts.js';
import { actOnBehalfOf, holdingsOf, intersect, type ActOnBehalf, type EffectivePrivilege, type HeldPrivilege } from '../../access/holdings.js';
import type { CliContext } from '../../context.js';
import type { DataverseClient } from '../../dataverse/client.js';
import { CliError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { parseAsUser } from '../../options/as-user.js';
import { findUser } from '../../users/find-user.js';
import { describeUser } from '../../users/user-record.js';

export interface PrivilegeFlags {
  table?: string;
}

export interface PrincipalSummary {
  id: string;
  label: string;
  disabled: boolean;
}

export interface EffectiveAnswer {
  signedIn: PrincipalSummary;
  actedAs: PrincipalSummary;
  /** Whether the signed-in identity may act on behalf of anyone at all (prvActOnBehalfOfAnotherUser from a role assigned directly). */
  actOnBehalf: ActOnBehalf;
  /** The table the list is limited to (--table), else null. */
  table: string | null;
  privileges: EffectivePrivilege[];
}

/**
 * `dvas roles [user] --privileges [--table T]`: every privilege the user holds, at the deepest
 * depth any of their roles gives, with every role that grants it, directly or through which team.
 * Read as the signed-in identity: the user (1, or WhoAmI), their roles and teams (1), the table's
 * privileges with --table (1, or 2 uncached), then one RetrieveRolePrivilegesRole per role, in parallel.
 */
export async function runPrivileges(userArgument: string | undefined, flags: PrivilegeFlags, ctx: CliContext): Promise<HeldPrivilege[]> {
  const client = await ctx.dataverse();
  // The user and the table are lookups (sent under --dry-run); reading the user's roles is the operation.
  const [userId, tableNames] = await Promise.all([subjectOf(userArgument, client.lookups(), ctx), tablePrivileges(client, flags.table)]);
  const holder = (await readUsersWithRoles(client, [userId])).get(userId);
  if (!holder) throw cannotRead(userId);
  ctx.messages.note(`Privileges of ${describeUser(holder.user)}${flags.table ? ` on ${flags.table}` : ''}:`);
  const held = only(holdingsOf(holder, await new RolePrivileges(client).all(roleIdsOf(holder))), tableNames);
  if (held.length === 0) ctx.messages.hint(roleIdsOf(holder).length === 0 ? 'This user has no security role, directly or through a team.' : 'No privilege here.');
  return held;
}

/**
 * `dvas roles --as B --effective [--table T]`: the privileges that apply when the signed-in
 * identity acts as B: those both hold, each at the lesser depth, with each side's depth and roles,
 * and whether the signed-in identity may act on behalf of anyone at all. Nothing is sent as B.
 */
export async function runEffective(flags: PrivilegeFlags, ctx: CliContext): Promise<EffectiveAnswer> {
  if (!ctx.options.as) throw new UsageError('--effective needs --as <user>: the privileges that apply when you act as that user.');
  const client = await ctx.dataverse();
  // Who asks, the --as user and the table are lookups (sent under --dry-run); reading both users' roles is the operation.
  const lookups = client.lookups();
  const [me, target, tableNames] = await Promise.all([lookups.whoAmI(), findUser(ctx.options.as, lookups), tablePrivileges(client, flags.table)]);
  if (!target.user) throw target.unchecked;
  const callerId = me.UserId.toLowerCase();
  const targetId = target.user.systemuserid;
  const users = await readUsersWithRoles(client, [callerId, targetId]);
  const caller = users.get(callerId);
  const acted = users.get(targetId);
  if (!caller) throw cannotRead(callerId);
  if (!acted) throw cannotRead(targetId);
  const byRole = await new RolePrivileges(client).all([...roleIdsOf(caller), ...roleIdsOf(acted)]);
  const callerHeld = holdingsOf(caller, byRole);
  const actOnBehalf = actOnBehalfOf(callerHeld);
  const privileges = callerId === targetId ? intersect(callerHeld, callerHeld) : intersect(callerHeld, holdingsOf(acted, byRole));
  return {
    signedIn: summary(caller, true),
    actedAs: summary(acted, false),
    actOnBehalf,
    table: flags.table ?? null,
    privileges: only(privileges, tableNames),
  };
}

/** The sentence that goes with --effective: may the signed-in identity act on behalf of anyone at all? */
export function actOnBehalfSentence(answer: EffectiveAnswer): string {
  const sentence = actOnBehalfText(answer);
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function actOnBehalfText(answer: EffectiveAnswer): string {
  const { actOnBehalf, signedIn, actedAs } = answer;
  if (signedIn.id === actedAs.id) return `${actedAs.label} is the signed-in identity itself: no impersonation, its own privileges apply.`;
  const disabled = actedAs.disabled ? ` ${actedAs.label} is disabled: no request can run as them.` : '';
  if (actOnBehalf.may) return `${signedIn.label} may act on behalf of another user: prvActOnBehalfOfAnotherUser through ${actOnBehalf.directRoles.join(', ')}, assigned directly.${disabled}`;
  const team = actOnBehalf.teamRoles.length > 0 ? ` (it holds it only through a team: ${actOnBehalf.teamRoles.join(', ')}, which does not count)` : '';
  return `${signedIn.label} may not act on behalf of anyone: it lacks prvActOnBehalfOfAnotherUser from a role assigned directly${team}; every request with --as is refused, whatever the list says.${disabled}`;
}

/** The systemuserid of the user asked about, with a client whose requests are marked as lookups. */
async function subjectOf(userArgument: string | undefined, client: DataverseClient, ctx: CliContext): Promise<string> {
  const asUser = userArgument !== undefined ? parseAsUser(userArgument, 'The user argument') : ctx.options.as;
  if (!asUser) return (await client.whoAmI()).UserId.toLowerCase();
  const lookup = await findUser(asUser, client);
  if (!lookup.user) throw lookup.unchecked;
  return lookup.user.systemuserid;
}

/** The privilege names of a table (EntityMetadata.Privileges), lower case; undefined without --table. */
async function tablePrivileges(client: DataverseClient, table: string | undefined): Promise<ReadonlySet<string> | undefined> {
  if (table === undefined) return undefined;
  const security = await readTableSecurity(client, table);
  return new Set([...security.privileges.values()].map((name) => name.toLowerCase()));
}

function only<T extends { privilege: string }>(rows: T[], names: ReadonlySet<string> | undefined): T[] {
  return names ? rows.filter((row) => names.has(row.privilege.toLowerCase())) : rows;
}

function summary(holder: UserWithRoles, signedIn: boolean): PrincipalSummary {
  const name = describeUser(holder.user);
  return { id: holder.user.systemuserid, label: signedIn ? `the signed-in identity (${holder.user.fullname ?? holder.user.systemuserid})` : name, disabled: holder.user.isdisabled };
}

function cannotRead(userId: string): CliError {
  return new CliError(`The signed-in identity may not read the roles of user ${userId}.`, {
    exitCode: ExitCode.PrivilegeDenied,
    hint: 'Reading roles needs prvReadUser, prvReadTeam and prvReadRole.',
  });
}
