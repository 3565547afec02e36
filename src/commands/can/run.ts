import { askVerdict } from '../../access/ask-verdict.js';
import { readTableSecurity } from '../../access/facts.js';
import type { RecordRead } from '../../access/record-facts.js';
import { isVerb, VERBS } from '../../access/verbs.js';
import type { Verdict } from '../../access/verdict.js';
import type { CliContext } from '../../context.js';
import { parseRecordKey } from '../../dataverse/record-key.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { findUser } from '../../users/find-user.js';
import { quote } from '../../output/terminal-text.js';

export interface CanAnswer {
  allowed: boolean | 'unknown';
  verb: string;
  table: string;
  privilege: string;
  /** With --record: the row as dvas read it (owner, owning business unit, shares). */
  record?: RecordRead;
  verdict: Verdict;
  /** The roles of the organisation that grant the privilege (what would fix a "no"); null when the identity may not read roles. */
  granting: string[] | null;
}

export interface CanFlags {
  record?: string;
}

/**
 * `dvas can <verb> <table> [--record ID] [--as B]`: whether the operation would be allowed, and
 * why, computed from the Web API as the signed-in identity (nothing is sent as B). Requests:
 * WhoAmI and the table's definition and privileges (2, or 1 once the table is cached), the --as
 * user (1), then what askVerdict reads (src/access/ask-verdict.ts).
 */
export async function runCan(verbArgument: string, tableArgument: string, flags: CanFlags, ctx: CliContext): Promise<CanAnswer> {
  const verb = verbArgument.toLowerCase();
  if (!isVerb(verb)) throw new UsageError(`${quote(verbArgument)} is not a privilege verb: use one of ${VERBS.join(', ')}.`);
  const key = flags.record === undefined ? undefined : parseRecordKey(flags.record, 'The --record value');
  const client = await ctx.dataverse();
  // Who asks, the table and the --as user are lookups (under --dry-run sent, docs/dry-run.md); the
  // reads that decide the answer (askVerdict's) are the operation, the first of them is what a dry run prints.
  const lookups = client.lookups();
  const [me, table, target] = await Promise.all([
    lookups.whoAmI(),
    readTableSecurity(client, tableArgument),
    ctx.options.as ? findUser(ctx.options.as, lookups) : undefined,
  ]);
  if (!table.privileges.has(verb)) throw new UsageError(`The table ${table.logicalName} has no ${verb} privilege.`);
  if (target && !target.user) throw target.unchecked;
  const asked = await askVerdict(client, {
    verb,
    table,
    callerId: me.UserId.toLowerCase(),
    ...(target?.user ? { targetId: target.user.systemuserid } : {}),
    ...(key ? { record: key } : {}),
  });
  if (asked.verdict.allowed !== true) ctx.setExitCode(ExitCode.PrivilegeDenied);
  return { allowed: asked.verdict.allowed, verb, table: table.logicalName, privilege: asked.privilege, ...(asked.record ? { record: asked.record } : {}), verdict: asked.verdict, granting: asked.granting?.map((role) => role.name) ?? null };
}
