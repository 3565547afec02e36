import type { CliContext } from '../../context.js';
import type { DataverseClient } from '../../dataverse/client.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import { UsageError } from '../../errors.js';
import { actingAsLabel, actingAsUserId, resolveActingAs, type ActingAs } from '../../impersonation/acting-as.js';
import { requireImpersonationApplied } from '../../impersonation/applied-before.js';
import { parseAsUser } from '../../options/as-user.js';
import { singleLine } from '../../output/columns.js';
import { parseGetRequest, type GetFlags, type GetRequest } from '../get/options.js';
import { compareRows, type RowsDifference } from './diff.js';

export type CompareFlags = Pick<GetFlags, 'select' | 'filter' | 'orderby' | 'top' | 'all' | 'pageSize'>;

export interface CompareSide {
  label: string;
  /** Null for the signed-in identity when dvas could not tell its id (it always can: WhoAmI). */
  systemuserid: string | null;
  /** Rows this side read. */
  rows: number;
  /** Set when the service refused this side the whole query (it lacks the table's read privilege): it sees nothing. */
  refused: string | null;
}

export interface CompareAnswer extends RowsDifference {
  table: string;
  first: CompareSide;
  second: CompareSide;
  /** Whether both see exactly the same rows and values. */
  same: boolean;
}

interface Side {
  label: string;
  client: DataverseClient;
  /** The signed-in identity's client (no impersonation header). */
  caller: DataverseClient;
  actingAs: ActingAs | undefined;
  systemuserid: string | null;
}

/**
 * `dvas compare <table> <user> [other] [query options]`: runs the same query as two users and
 * says which rows, and which columns of the rows both get, one sees and the other does not ("it
 * works for me, not for them"). With one user the other side is whom requests run as (the --as
 * user, else the signed-in identity); with two, both are acted as. Each side's query runs under
 * its impersonation header and the service decides what it returns; nothing is written.
 */
export async function runCompare(table: string, users: string[], flags: CompareFlags, ctx: CliContext): Promise<CompareAnswer> {
  if (users.length === 0 || users.length > 2) throw new UsageError('compare takes one user (compared with you, or with --as) or two users.');
  if (users.length === 2 && ctx.options.as) throw new UsageError('Give two users, or one user and --as, not both.');
  const request = parseGetRequest(table, undefined, flags);
  const caller = await ctx.dataverse();
  const definition = await caller.entityDefinition(table);
  const given = users.map((text) => parseAsUser(text, 'The user argument'));
  const asked = [...(users.length === 1 ? [ctx.options.as] : []), ...given];
  const sides = await Promise.all(asked.map((asUser) => sideFor(asUser, caller, ctx)));
  const [first, second] = sides as [Side, Side];
  const select = request.select ? [...new Set([definition.PrimaryIdAttribute, ...request.select])] : undefined;
  const [a, b] = await Promise.all([first, second].map((side) => readAs(side, definition.EntitySetName, { ...request, select }, ctx)));
  const difference = compareRows(a?.rows ?? [], b?.rows ?? [], definition.PrimaryIdAttribute, definition.PrimaryNameAttribute);
  const same = difference.onlyFirst.length === 0 && difference.onlySecond.length === 0 && difference.columns.length === 0 && !a?.refused === !b?.refused;
  return {
    table: definition.LogicalName,
    first: summary(first, a),
    second: summary(second, b),
    same,
    ...difference,
  };
}

/** Whom one side runs as. Finding out (WhoAmI, the user's row) is a lookup, sent under --dry-run; the query of each side is the operation. */
async function sideFor(asUser: ReturnType<typeof parseAsUser> | undefined, caller: DataverseClient, ctx: CliContext): Promise<Side> {
  if (!asUser) {
    const { UserId } = await caller.lookups().whoAmI();
    return { label: 'the signed-in identity', client: caller, caller, actingAs: undefined, systemuserid: UserId.toLowerCase() };
  }
  // Under --dry-run --offline nothing may be sent: a GUID is used unchecked, as for --as elsewhere.
  const actingAs = await resolveActingAs(asUser, caller.lookups(), { check: !ctx.options.offline });
  return { label: actingAsLabel(actingAs), client: caller.actingAs(actingAs.target), caller, actingAs, systemuserid: actingAsUserId(actingAs) ?? null };
}

async function readAs(side: Side, entitySet: string, request: GetRequest, ctx: CliContext): Promise<{ rows: Record<string, unknown>[]; refused: string | null }> {
  if (side.actingAs) {
    // The service ignores a header naming no user it knows: check, when dvas could not beforehand.
    const signedIn = async () => ({ UserId: (await side.caller.whoAmI()).UserId, fullname: null });
    await requireImpersonationApplied({ client: side.client, caller: side.caller, actingAs: side.actingAs, signedIn }, `read ${entitySet} as ${side.label}`, { dryRun: ctx.options.dryRun });
  }
  try {
    const page = await side.client.retrieveMultiple(
      entitySet,
      { ...(request.select ? { select: request.select } : {}), ...(request.filter ? { filter: request.filter } : {}), ...(request.orderby ? { orderby: request.orderby } : {}), ...(request.top ? { top: request.top } : {}) },
      { all: request.all, ...(request.pageSize ? { maxPageSize: request.pageSize } : {}) },
    );
    return { rows: page.records, refused: null };
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) {
      ctx.messages.note(`${side.label} may not run this query at all: ${singleLine(error.message)}`);
      return { rows: [], refused: error.message };
    }
    throw error;
  }
}

function summary(side: Side, read: { rows: unknown[]; refused: string | null } | undefined): CompareSide {
  return { label: side.label, systemuserid: side.systemuserid, rows: read?.rows.length ?? 0, refused: read?.refused ?? null };
}
