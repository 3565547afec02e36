import type { CliContext } from '../../context.js';
import { describeRecord, parseRecordKey, type RecordKey } from '../../dataverse/record-key.js';
import { updateRow, type UpdateCondition } from '../../dataverse/row-writes.js';
import { UsageError } from '../../errors.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { readWrittenBy } from '../../impersonation/read-back.js';
import { openSession } from '../../impersonation/session.js';
import { READABLE_ANNOTATIONS } from '../../output/readable.js';
import { withTable } from '../../tables/resolve-table.js';
import { readRecord, type RecordSource } from '../create/record-input.js';
import type { UpdateView } from './view.js';
import { quote } from '../../output/terminal-text.js';

export interface UpdateFlags {
  data?: string;
  file?: string;
  upsert?: boolean;
  ifMatch?: string;
  return?: boolean;
}

/** An entity tag as the service writes it (`W/"123"`), or just its value (`123`). */
const ETAG = /^(?:W\/)?"[^"\s]*"$/;
const ETAG_VALUE = /^[A-Za-z0-9._-]+$/;

/**
 * `dvas update <table> <id|key>`: one PATCH. Everything is checked before anything is sent: the
 * key, the flags, the changes. Without --upsert it carries `If-Match: *` (a missing row is exit 6,
 * never a new row; such a PATCH may be sent again after a dropped connection, since it cannot
 * create anything), with --if-match that version (a row changed since is exit 11). Under --as
 * the row's modifiedby / modifiedonbehalfby are read back: Dataverse can silently run the update
 * as the signed-in identity (exit 8, naming the row).
 */
export async function runUpdate(table: string, id: string, source: RecordSource, flags: UpdateFlags, ctx: CliContext): Promise<UpdateView> {
  const key = parseRecordKey(id);
  const condition = updateCondition(flags);
  const changes = await readRecord(source, ctx.io, 'update');
  const session = await openSession(ctx);
  // A cached table the service no longer knows is looked up again (withTable): a PATCH to an
  // entity set that does not exist changed nothing.
  const { definition, updated } = await withTable(session.caller, table, ctx, async (definition) => ({
    definition,
    updated: await updateRow(session.client, definition.EntitySetName, key, changes, {
      condition,
      returnRepresentation: flags.return === true,
      primaryIdAttribute: definition.PrimaryIdAttribute,
      ...(ctx.options.output === 'table' || ctx.options.output === 'csv' ? { annotations: READABLE_ANNOTATIONS } : {}),
    }),
  }));
  const entitySet = definition.EntitySetName;
  const row = describeRecord(entitySet, key);
  const verb = updated.created ? 'Created' : condition.kind === 'upsert' ? 'Upserted' : 'Updated';
  const view: UpdateView = { id: updated.id ?? null, ...(updated.record ? { record: updated.record } : {}) };
  const { actingAs } = session;
  if (!actingAs) {
    ctx.messages.success(`${verb} ${row}.`);
    return view;
  }

  // By GUID when the answer named it: an alternate key's value may be among the columns just changed.
  const readKey: RecordKey = updated.id ? { kind: 'id', id: updated.id } : key;
  const audit = await readWrittenBy(session, entitySet, readKey, 'modified');
  if (!audit) {
    ctx.messages.warn(`${verb} ${row}, but could not read it back to check that it was changed as ${actingAsLabel(actingAs)}.`);
  } else if (audit.modifiedby) {
    const ranAs = await whoElseRanIt({ ...session, actingAs }, audit.modifiedby);
    if (ranAs) throw notApplied(`Dataverse ${verb.toLowerCase()} ${row}`, ranAs, actingAs);
  } else {
    ctx.messages.warn(`${verb} ${row}, but ${entitySet} has no modifiedby to check that it was changed as ${actingAsLabel(actingAs)}.`);
  }
  ctx.messages.success(`${verb} ${row} as ${actingAsLabel(actingAs)}.`);
  return {
    ...view,
    modifiedby: audit?.modifiedby ?? null,
    modifiedbyname: audit?.modifiedbyname ?? null,
    modifiedonbehalfby: audit?.modifiedonbehalfby ?? null,
    modifiedonbehalfbyname: audit?.modifiedonbehalfbyname ?? null,
  };
}

function updateCondition(flags: UpdateFlags): UpdateCondition {
  if (flags.upsert && flags.ifMatch !== undefined) {
    throw new UsageError('--upsert and --if-match contradict each other: --if-match changes an existing row only, --upsert may create it.');
  }
  if (flags.upsert) return { kind: 'upsert' };
  if (flags.ifMatch === undefined) return { kind: 'exists' };
  const etag = flags.ifMatch.trim();
  if (etag === '*') return { kind: 'exists' };
  if (ETAG.test(etag)) return { kind: 'version', etag };
  if (ETAG_VALUE.test(etag)) return { kind: 'version', etag: `W/"${etag}"` };
  throw new UsageError(`--if-match takes the row's @odata.etag, such as W/"12345", not ${quote(flags.ifMatch)}.`, {
    hint: 'dvas get <table> <id> --formatted -o json shows it as @odata.etag.',
  });
}
