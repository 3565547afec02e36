import type { CliContext } from '../../context.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import { describeRecord, parseRecordKey, type RecordKey } from '../../dataverse/record-key.js';
import { deleteRow } from '../../dataverse/row-writes.js';
import { CliError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { requireImpersonationApplied } from '../../impersonation/applied-before.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { confirm } from '../../output/confirm.js';
import { withTable, type EntityDefinition } from '../../tables/resolve-table.js';
import { quote } from '../../output/terminal-text.js';

/** What `dvas delete` prints: the row's id (null when only an alternate key named it), and that it is gone. */
export interface DeleteView {
  id: string | null;
  deleted: true;
}

/**
 * `dvas delete <table> <id|key>`. On a terminal it asks first, naming the row, unless --yes; with
 * no terminal to ask on, --yes is required and its absence is exit 2 before anything is sent.
 * Under --as an unchecked user is tested with WhoAmI first (a delete leaves no row to read back
 * who did it); afterwards the row is read again, as the signed-in identity, to check it is gone.
 */
export async function runDelete(table: string, id: string, flags: { yes?: boolean }, ctx: CliContext): Promise<DeleteView | undefined> {
  const key = parseRecordKey(id);
  const ask = !flags.yes && !ctx.options.dryRun;
  if (ask && !ctx.io.isStdinTTY) {
    throw new UsageError('dvas delete needs --yes when it cannot ask (stdin is not a terminal): nothing was deleted.', {
      hint: 'Add --yes to delete without asking, or --dry-run to see the request.',
    });
  }
  const session = await openSession(ctx);
  // A cached table the service no longer knows is looked up again (withTable): a read or DELETE
  // of an entity set that does not exist did nothing. The person is asked once.
  let confirmed = !ask;
  const done = await withTable(session.caller, table, ctx, async (definition) => {
    const row = describeRecord(definition.EntitySetName, key);
    if (!confirmed) {
      const question = `Delete ${await nameOf(session, definition, key, row)}${session.actingAs ? ` as ${actingAsLabel(session.actingAs)}` : ''}?`;
      if (!(await confirm(ctx.io, question))) return undefined;
      confirmed = true;
    }
    await requireImpersonationApplied(session, `delete ${row}`, { dryRun: ctx.options.dryRun });
    try {
      await deleteRow(session.client, definition.EntitySetName, key);
    } catch (error) {
      // DELETE is sent again after a lost answer; a 404 then means the first attempt deleted it.
      if (!(error instanceof DataverseApiError && error.status === 404 && error.repeated)) throw error;
      ctx.messages.warn(`The answer to the first DELETE of ${row} was lost; when dvas sent it again the row was gone.`);
    }
    await requireGone(session, definition, key, row);
    return row;
  });
  if (done === undefined) {
    ctx.messages.note('Nothing was deleted.');
    return undefined;
  }
  ctx.messages.success(`Deleted ${done}${session.actingAs ? ` as ${actingAsLabel(session.actingAs)}` : ''}.`);
  return { id: key.kind === 'id' ? key.id : null, deleted: true };
}

/** How the question names the row: `account "Contoso" (accounts(<id>))` when it can be read; a missing row is exit 6 before asking. */
async function nameOf(session: DataverseSession, definition: EntityDefinition, key: RecordKey, row: string): Promise<string> {
  const column = definition.PrimaryNameAttribute;
  if (!column) return row;
  try {
    const record = await session.client.retrieve(definition.EntitySetName, key, { select: [column] });
    const name = record[column];
    return typeof name === 'string' && name !== '' ? `${definition.LogicalName} ${quote(name)} (${row})` : row;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 404) throw error;
    // May not read it (the delete itself will say what is missing): ask by key.
    return row;
  }
}

/** The read-back: the row is gone for the signed-in identity too. */
async function requireGone(session: DataverseSession, definition: EntityDefinition, key: RecordKey, row: string): Promise<void> {
  try {
    await session.caller.retrieve(definition.EntitySetName, key, { select: [definition.PrimaryIdAttribute] });
  } catch (error) {
    if (error instanceof DataverseApiError && (error.status === 404 || error.status === 403)) return;
    throw error;
  }
  throw new CliError(`Dataverse answered the DELETE of ${row} with success, but the row is still there.`, { exitCode: ExitCode.Failure });
}
