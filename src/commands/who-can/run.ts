import { grantsOf, readBusinessUnits, readTableSecurity, RolePrivileges, rolesGranting, type TableSecurity, type UserWithRoles } from '../../access/facts.js';
import { holdersOf, membersOf } from '../../access/holders.js';
import { readRecord, readShares, type RecordRead } from '../../access/record-facts.js';
import { ACCESS_RIGHT, isVerb, VERBS, type Verb } from '../../access/verbs.js';
import { decide, describeReach, type BusinessUnit, type Grant, type Reach } from '../../access/verdict.js';
import { deeper, depthRank, type Depth } from '../../access/depth.js';
import type { DataverseClient } from '../../dataverse/client.js';
import type { CliContext } from '../../context.js';
import { parseRecordKey, type RecordKey } from '../../dataverse/record-key.js';
import { UsageError } from '../../errors.js';
import { describeUser } from '../../users/user-record.js';

export interface WhoCanFlags {
  record?: string;
}

/** One user who may do it: at which depth, from which roles; with --record, how the row is reached. */
export interface WhoCanRow {
  systemuserid: string;
  fullname: string | null;
  internalemailaddress: string | null;
  depth: Depth;
  /** Every role that grants the privilege, directly or through which team; deepest first. */
  sources: Grant[];
  /** With --record: every way the user reaches the row, and the same in words. */
  ways?: Reach[];
  how?: string;
}

/**
 * `dvas who-can <verb> <table> [--record ID]`: the enabled users who hold the privilege, directly
 * or through a team, at which depth; with --record, those whose depth (or ownership, or a share)
 * reaches the row. The request pattern does not grow with the organisation: the table (1-2), the
 * roles granting the privilege (1), their depths (one RetrieveRolePrivilegesRole per such role, in
 * parallel), and two queries for who holds those roles (holders.ts); with --record also the row,
 * its shares, the business units and the members of the teams that own it or it is shared with.
 */
export async function runWhoCan(verbArgument: string, tableArgument: string, flags: WhoCanFlags, ctx: CliContext): Promise<WhoCanRow[]> {
  const verb = verbArgument.toLowerCase();
  if (!isVerb(verb)) throw new UsageError(`'${verbArgument}' is not a privilege verb: use one of ${VERBS.join(', ')}.`);
  if (ctx.options.as) throw new UsageError('who-can answers for the whole organisation, read as the signed-in identity: --as does not apply.', { hint: 'To check one user, use: dvas can <verb> <table> --as <user>' });
  const key = flags.record === undefined ? undefined : parseRecordKey(flags.record, 'The --record value');
  const client = await ctx.dataverse();
  const table = await readTableSecurity(client, tableArgument);
  const privilege = table.privileges.get(verb);
  if (!privilege) throw new UsageError(`The table ${table.logicalName} has no ${verb} privilege.`);
  const granting = await rolesGranting(client, [privilege]);
  const roleIds = [...granting.keys()];
  const withRecord = key !== undefined && !table.organizationOwned;
  const [depths, holders, record, businessUnits] = await Promise.all([
    new RolePrivileges(client).depths(roleIds, privilege),
    holdersOf(client, roleIds),
    key ? readRecordWithShares(client, table, key) : undefined,
    withRecord ? readBusinessUnits(client) : undefined,
  ]);
  // Teams that own the row or hold a share of it: their members may reach it through them.
  const teamsOfRow = record && withRecord ? relevantTeams(record) : [];
  const members = await membersOf(client, teamsOfRow);
  const teamNames = new Map([...holders.values()].flatMap((holder) => holder.teams.flatMap((team) => (team.name ? [[team.id, team.name] as const] : []))));
  if (record?.owner?.kind === 'team' && record.owner.name) teamNames.set(record.owner.id, record.owner.name);

  const rows: WhoCanRow[] = [];
  let disabled = 0;
  for (const holder of holders.values()) {
    const sources = grantsOf(holder, depths).sort((a, b) => depthRank(b.depth) - depthRank(a.depth) || a.roleName.localeCompare(b.roleName));
    const [first] = sources;
    if (!first) continue;
    if (holder.user.isdisabled) {
      disabled++;
      continue;
    }
    const depth = sources.reduce<Depth>((widest, source) => deeper(widest, source.depth), first.depth);
    const row: WhoCanRow = { systemuserid: holder.user.systemuserid, fullname: holder.user.fullname, internalemailaddress: holder.user.internalemailaddress, depth, sources };
    if (record && withRecord) {
      const ways = reachOf(holder, sources, { record, verb, privilege, members, businessUnits, teamNames });
      if (ways === undefined) continue;
      row.ways = ways;
      row.how = ways.map((way) => describeReach(way, businessUnits ? { businessUnits } : {})).join('; ');
    }
    rows.push(row);
  }
  if (disabled > 0) ctx.messages.note(`${disabled} disabled user${disabled === 1 ? '' : 's'} also hold${disabled === 1 ? 's' : ''} ${privilege}; a disabled user cannot sign in, so they are not listed.`);
  if (rows.length === 0) ctx.messages.hint(granting.size === 0 ? `No role grants ${privilege}.` : 'Nobody enabled can.');
  return rows.sort((a, b) => (a.fullname ?? a.systemuserid).localeCompare(b.fullname ?? b.systemuserid));
}

interface RowContext {
  record: RecordRead;
  verb: Verb;
  privilege: string;
  members: ReadonlyMap<string, string[]>;
  businessUnits: ReadonlyMap<string, BusinessUnit> | undefined;
  teamNames: ReadonlyMap<string, string>;
}

/** Every way the holder reaches the row (the same verdict as `can --record`), or undefined when none does. */
function reachOf(holder: UserWithRoles, grants: Grant[], context: RowContext): Reach[] | undefined {
  const teamIds = new Set(holder.teams.map((team) => team.id));
  for (const [teamId, users] of context.members) if (users.includes(holder.user.systemuserid)) teamIds.add(teamId);
  const verdict = decide({
    privilege: context.privilege,
    right: ACCESS_RIGHT[context.verb],
    organizationOwned: false,
    subject: { id: holder.user.systemuserid, label: describeUser(holder.user), disabled: false, businessUnitId: holder.user.businessunitid, teamIds: [...teamIds], grants },
    record: context.record,
    ...(context.businessUnits ? { businessUnits: context.businessUnits } : {}),
    teamNames: context.teamNames,
  });
  return verdict.record?.reached === true ? verdict.record.ways : undefined;
}

async function readRecordWithShares(client: DataverseClient, table: TableSecurity, key: RecordKey): Promise<RecordRead> {
  const row = await readRecord(client, table, key);
  return { ...row, shares: table.organizationOwned ? [] : await readShares(client, table, row.id) };
}

function relevantTeams(record: RecordRead): string[] {
  const teams = new Set<string>();
  if (record.owner?.kind === 'team') teams.add(record.owner.id);
  for (const share of record.shares ?? []) if (share.principalKind === 'team') teams.add(share.principalId);
  return [...teams];
}

