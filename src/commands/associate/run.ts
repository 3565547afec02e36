import type { CliContext } from '../../context.js';
import { isDuplicateKey } from '../../dataverse/ambiguous-failure.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import { entitySetSegment } from '../../dataverse/odata.js';
import { describeRecord, keyId, parseRecordKey, type RecordKey } from '../../dataverse/record-key.js';
import { associateRows, disassociateRows, type RowReference } from '../../dataverse/row-writes.js';
import { UsageError } from '../../errors.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { requireImpersonationApplied } from '../../impersonation/applied-before.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { readWrittenBy } from '../../impersonation/read-back.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { navigationSegment, resolveNavigation, type Navigation } from '../../tables/resolve-navigation.js';
import { resolveTable, type EntityDefinition } from '../../tables/resolve-table.js';

export type LinkAction = 'associate' | 'disassociate';

/** What `dvas associate` / `dvas disassociate` print: the two rows, the navigation property, and whether they are linked now. */
export interface LinkView {
  row: string;
  id: string | null;
  navigation: string;
  relatedRow: string;
  relatedId: string | null;
  associated: boolean;
}

export interface LinkArguments {
  table: string;
  id: string;
  navigation: string;
  relatedTable: string;
  relatedId: string;
}

interface End {
  definition: EntityDefinition;
  key: RecordKey;
  reference: RowReference;
  label: string;
}

/**
 * `dvas associate|disassociate <table> <id> <navigation> <table> <id>`: one `$ref` request
 * (associate-disassociate-entities-using-web-api). Everything the user typed is checked before
 * anything is sent; the tables and the navigation property are then looked up (as the signed-in
 * identity), so that a navigation leading to another table is exit 2 before the link is sent.
 *
 * Under --as, the check that impersonation took effect:
 * - a link through a lookup (N:1, 1:N) changes the row holding the lookup, whose modifiedby is read
 *   back as after an update (exit 8 when it ran as someone else);
 * - an N:N link leaves no trace of who made it, so an --as user dvas could not check beforehand is
 *   tested with WhoAmI first, as for a delete.
 */
export async function runLink(action: LinkAction, args: LinkArguments, ctx: CliContext): Promise<LinkView> {
  const key = parseRecordKey(args.id, 'The first id');
  const relatedKey = parseRecordKey(args.relatedId, 'The second id');
  entitySetSegment(args.table);
  entitySetSegment(args.relatedTable);
  navigationSegment(args.navigation);

  const session = await openSession(ctx);
  const from = end(await resolveTable(session.caller, args.table, ctx), key);
  const to = end(await resolveTable(session.caller, args.relatedTable, ctx), relatedKey);
  const navigation = await resolveNavigation(session.caller, from.definition, args.navigation, ctx);
  if (navigation.target !== to.definition.LogicalName) {
    throw new UsageError(
      `${from.definition.LogicalName}.${navigation.name} leads to ${navigation.target} rows, not ${to.definition.LogicalName}: nothing was ${action}d.`,
      { hint: `Give a row of ${navigation.target} as the second row.` },
    );
  }
  const view: LinkView = {
    row: from.label,
    id: keyId(key) ?? null,
    navigation: navigation.name,
    relatedRow: to.label,
    relatedId: keyId(relatedKey) ?? null,
    associated: action === 'associate',
  };
  const what = `${from.label} ${action === 'associate' ? 'to' : 'from'} ${to.label} (${navigation.name})`;
  const as = session.actingAs ? ` as ${actingAsLabel(session.actingAs)}` : '';

  if (action === 'disassociate' && navigation.kind === 'single' && !(await lookupPointsAt(session, from, navigation, to))) {
    ctx.messages.note(`${from.label} is not linked to ${to.label} through ${navigation.name}: nothing was changed.`);
    return view;
  }
  if (navigation.kind === 'manyToMany') await requireImpersonationApplied(session, `${action} ${what}`, { dryRun: ctx.options.dryRun });

  try {
    // A privilege denial is diagnosed in main's error path, as for every command.
    if (action === 'associate') await associateRows(session.client, from.reference, navigation.name, to.reference, navigation.kind === 'single');
    else await disassociateRows(session.client, from.reference, navigation.name, to.reference, navigation.kind === 'single');
  } catch (error) {
    // An N:N pair already linked is the state asked for: a script setting data up may run twice.
    if (!(action === 'associate' && navigation.kind === 'manyToMany' && isDuplicateKey(error))) throw error;
    ctx.messages.note(
      error instanceof DataverseApiError && error.repeated
        ? `The answer to the first POST was lost; when dvas sent it again, ${from.label} and ${to.label} were associated through ${navigation.name}.`
        : `${from.label} and ${to.label} were already associated through ${navigation.name}: nothing was changed.`,
    );
    return view;
  }
  if (session.actingAs && navigation.kind !== 'manyToMany') await requireChangedAs(session, navigation.kind === 'single' ? from : to, `${action}d ${what}`, ctx);
  ctx.messages.success(`${action === 'associate' ? 'Associated' : 'Disassociated'} ${what}${as}.`);
  return view;
}

function end(definition: EntityDefinition, key: RecordKey): End {
  return { definition, key, reference: { entitySet: definition.EntitySetName, key }, label: describeRecord(definition.EntitySetName, key) };
}

/**
 * Before clearing a lookup (`DELETE …/<nav>/$ref` names no row): does it point at the row given?
 * Read as the signed-in identity, as lookups (--dry-run sends them); when it may not read the row,
 * the DELETE goes ahead and says.
 */
async function lookupPointsAt(session: DataverseSession, from: End, navigation: Navigation, to: End): Promise<boolean> {
  const column = `_${navigation.lookup ?? navigation.name}_value`;
  const reader = session.caller.lookups();
  try {
    const row = await reader.retrieve(from.definition.EntitySetName, from.key, { select: [column] });
    const current = typeof row[column] === 'string' ? row[column].toLowerCase() : undefined;
    if (current === undefined) return false;
    const relatedId = keyId(to.key) ?? (await reader.retrieve(to.definition.EntitySetName, to.key, { select: [to.definition.PrimaryIdAttribute] }))[to.definition.PrimaryIdAttribute];
    return typeof relatedId === 'string' && relatedId.toLowerCase() === current;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return true;
    throw error;
  }
}

/** The row whose lookup changed: modifiedby must be the --as user (Dataverse may silently run it as the signed-in identity). */
async function requireChangedAs(session: DataverseSession, changed: End, what: string, ctx: CliContext): Promise<void> {
  const actingAs = session.actingAs;
  if (!actingAs) return;
  const audit = await readWrittenBy(session, changed.definition.EntitySetName, changed.key, 'modified');
  if (!audit?.modifiedby) {
    ctx.messages.warn(`Could not read ${changed.label} back to check that the link was made as ${actingAsLabel(actingAs)}.`);
    return;
  }
  const ranAs = await whoElseRanIt({ ...session, actingAs }, audit.modifiedby);
  if (ranAs) throw notApplied(`Dataverse ${what}`, ranAs, actingAs);
}
