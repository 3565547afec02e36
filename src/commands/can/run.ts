import { ACT_ON_BEHALF, decide, type PrincipalFacts, type Verdict } from '../../access/verdict.js';
import { grantsOf, readTableSecurity, readUsersWithRoles, roleIdsOf, RolePrivileges, rolesGranting, type UserWithRoles } from '../../access/facts.js';
import { ACCESS_RIGHT, isVerb, VERBS } from '../../access/verbs.js';
import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { findUser } from '../../users/find-user.js';
import { describeUser } from '../../users/user-record.js';

export interface CanAnswer {
  allowed: boolean | 'unknown';
  verb: string;
  table: string;
  privilege: string;
  verdict: Verdict;
}

/**
 * `dvas can <verb> <table> [--as B]`: whether the operation would be allowed, and why, computed
 * from the Web API as the signed-in identity (nothing is sent as B). Requests: WhoAmI, the table's
 * definition and privileges (2, or 1 once cached), the --as user (1), both users with their roles
 * and teams (1), the roles granting the privilege (1), then one RetrieveRolePrivilegesRole per
 * role held that grants it, in parallel.
 */
export async function runCan(verbArgument: string, tableArgument: string, ctx: CliContext): Promise<CanAnswer> {
  const verb = verbArgument.toLowerCase();
  if (!isVerb(verb)) throw new UsageError(`'${verbArgument}' is not a privilege verb: use one of ${VERBS.join(', ')}.`);
  const client = await ctx.dataverse();
  const [me, table] = await Promise.all([client.whoAmI(), readTableSecurity(client, tableArgument)]);
  const privilege = table.privileges.get(verb === 'appendto' ? 'appendto' : verb);
  if (!privilege) throw new UsageError(`The table ${table.logicalName} has no ${verb} privilege.`);
  let targetId: string | undefined;
  if (ctx.options.as) {
    const lookup = await findUser(ctx.options.as, client);
    if (!lookup.user) throw lookup.unchecked;
    targetId = lookup.user.systemuserid;
  }
  const callerId = me.UserId.toLowerCase();
  const [users, granting] = await Promise.all([readUsersWithRoles(client, [callerId, ...(targetId ? [targetId] : [])]), rolesGranting(client, [privilege, ACT_ON_BEHALF])]);
  const roles = new RolePrivileges(client);
  const held = [...users.values()].flatMap(roleIdsOf).filter((id) => granting.has(id));
  const [depths, actDepths] = await Promise.all([roles.depths(held, privilege), targetId ? roles.depths(held, ACT_ON_BEHALF) : Promise.resolve(new Map())]);
  const facts = (id: string, signedIn: boolean): PrincipalFacts => {
    const holder: UserWithRoles | undefined = users.get(id);
    const name = holder ? describeUser(holder.user) : id;
    return {
      id,
      label: signedIn ? `the signed-in identity (${holder?.user.fullname ?? id})` : name,
      disabled: holder?.user.isdisabled ?? false,
      businessUnitId: holder?.user.businessunitid ?? null,
      teamIds: holder?.teams.map((team) => team.id) ?? [],
      grants: holder ? grantsOf(holder, depths) : undefined,
    };
  };
  const caller = facts(callerId, true);
  const callerHolder = users.get(callerId);
  const verdict = decide({
    privilege,
    right: ACCESS_RIGHT[verb],
    organizationOwned: table.organizationOwned,
    subject: targetId ? facts(targetId, targetId === callerId) : caller,
    ...(targetId ? { impersonator: { principal: caller, actOnBehalf: callerHolder ? grantsOf(callerHolder, actDepths) : undefined } } : {}),
  });
  if (verdict.allowed !== true) ctx.setExitCode(ExitCode.PrivilegeDenied);
  return { allowed: verdict.allowed, verb, table: table.logicalName, privilege, verdict };
}

