import type { CliContext } from '../../context.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { readCreatedBy, type CreatedBy } from '../../impersonation/read-back.js';
import { openSession } from '../../impersonation/session.js';
import { READABLE_ANNOTATIONS } from '../../output/readable.js';
import { withTable } from '../../tables/resolve-table.js';
import { createOnce } from './create-once.js';
import { readRecord, type RecordSource } from './record-input.js';
import type { CreateView } from './view.js';

export interface CreateFlags {
  data?: string;
  file?: string;
  /** Ask for the created row back. */
  return?: boolean;
}

/**
 * `dvas create <table>`: one row. The input is read and checked before anything is sent. Under
 * --as the new row's createdby / createdonbehalfby are read back: Dataverse can silently run the
 * create as the signed-in identity, and then the row exists but is not the --as user's (exit 8,
 * naming the row). The create happens exactly once (create-once.ts): the row gets its id before it
 * is sent, and after an ambiguous failure dvas looks for it before sending it again.
 */
export async function runCreate(table: string, source: RecordSource, flags: CreateFlags, ctx: CliContext): Promise<CreateView> {
  const record = await readRecord(source, ctx.io);
  const session = await openSession(ctx);
  // A cached table the service no longer knows is looked up again (withTable): a POST to an
  // entity set that does not exist created nothing.
  const { definition, created } = await withTable(session.caller, table, ctx, async (definition) => ({
    definition,
    created: await createOnce(session.client, definition.EntitySetName, record, {
      returnRepresentation: flags.return === true,
      primaryIdAttribute: definition.PrimaryIdAttribute,
      // A table or CSV shows the returned row as `get` shows one: lookups by name, options by label.
      ...(forPeople(ctx.options.output) ? { annotations: READABLE_ANNOTATIONS } : {}),
      readers: session.actingAs ? [session.client, session.caller] : [session.client],
      onAmbiguous: (error, id) =>
        ctx.messages.note(`dvas: ${describe(error)} Looking for ${definition.EntitySetName}(${id}) to see whether it was created.`),
    }),
  }));
  const entitySet = definition.EntitySetName;
  const row = `${entitySet}(${created.id})`;
  const { actingAs } = session;
  if (!actingAs) {
    ctx.messages.success(`Created ${row}.`);
    return { id: created.id, ...(created.record ? { record: created.record } : {}) };
  }

  // The row exists whatever happens now: a failed check is a warning, never a failure (a script
  // that saw a failure would create the row again). Exit 8 only for a proven not-applied.
  const label = actingAsLabel(actingAs);
  let audit: CreatedBy | undefined;
  try {
    audit = await readCreatedBy(session, entitySet, created.id);
  } catch (error) {
    ctx.messages.warn(`Created ${row}, but could not read it back to check that it was created as ${label}: ${describe(error)}`);
  }
  if (audit?.createdby) {
    const ranAs = await whoElseRanIt({ ...session, actingAs }, audit.createdby);
    if (ranAs) throw notApplied(`Dataverse created ${row}`, ranAs, actingAs);
    ctx.messages.success(`Created ${row} as ${label}.`);
  } else if (audit) {
    ctx.messages.warn(`Created ${row}, but Dataverse gave no createdby for it, so dvas could not check that it was created as ${label}.`);
  } else {
    ctx.messages.warn(`Created ${row}, but could not read it back to check that it was created as ${label}.`);
  }
  return {
    id: created.id,
    createdby: audit?.createdby ?? null,
    createdbyname: audit?.createdbyname ?? null,
    createdonbehalfby: audit?.createdonbehalfby ?? null,
    createdonbehalfbyname: audit?.createdonbehalfbyname ?? null,
    ...(created.record ? { record: created.record } : {}),
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function forPeople(output: CliContext['options']['output']): boolean {
  return output === 'table' || output === 'csv';
}
