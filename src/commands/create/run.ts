import type { CliContext } from '../../context.js';
import type { DataverseClient } from '../../dataverse/client.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import type { DataverseRecord } from '../../dataverse/odata.js';
import { actingAsLabel } from '../../impersonation/acting-as.js';
import { explainingDenials } from '../../impersonation/explain-denial.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { resolveTable } from '../../tables/resolve-table.js';
import { FORMATTED_VALUES } from '../../users/user-record.js';
import { READABLE_ANNOTATIONS } from '../get/readable.js';
import { readRecord, type RecordSource } from './record-input.js';
import type { CreateView, CreatedBy } from './view.js';

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
 * naming the row). The create itself is never sent twice except after a 429 (the retry policy).
 */
export async function runCreate(table: string, source: RecordSource, flags: CreateFlags, ctx: CliContext): Promise<CreateView> {
  const record = await readRecord(source, ctx.io);
  const session = await openSession(ctx);
  const definition = await resolveTable(session.caller, table, ctx);
  const entitySet = definition.EntitySetName;
  const created = await explainingDenials(session, () =>
    session.client.create(entitySet, record, {
      returnRepresentation: flags.return === true,
      primaryIdAttribute: definition.PrimaryIdAttribute,
      // A table or CSV shows the returned row as `get` shows one: lookups by name, options by label.
      ...(forPeople(ctx.options.output) ? { annotations: READABLE_ANNOTATIONS } : {}),
    }),
  );
  const row = `${entitySet}(${created.id})`;
  const { actingAs } = session;
  if (!actingAs) {
    ctx.messages.success(`Created ${row}.`);
    return { id: created.id, ...(created.record ? { record: created.record } : {}) };
  }

  const audit = await readCreatedBy(session, entitySet, created.id);
  if (!audit) {
    ctx.messages.warn(`Created ${row}, but could not read it back to check that it was created as ${actingAsLabel(actingAs)}.`);
  } else if (audit.createdby) {
    const ranAs = await whoElseRanIt({ ...session, actingAs }, audit.createdby);
    if (ranAs) throw notApplied(`Dataverse created ${row}`, ranAs, actingAs);
  }
  ctx.messages.success(`Created ${row} as ${actingAsLabel(actingAs)}.`);
  return {
    id: created.id,
    createdby: audit?.createdby ?? null,
    createdbyname: audit?.createdbyname ?? null,
    createdonbehalfby: audit?.createdonbehalfby ?? null,
    createdonbehalfbyname: audit?.createdonbehalfbyname ?? null,
    ...(created.record ? { record: created.record } : {}),
  };
}

const AUDIT_COLUMNS = ['_createdby_value', '_createdonbehalfby_value'];

/**
 * Who Dataverse says created the row. Read as the --as user first (it owns the row), then as the
 * signed-in identity; undefined when neither may read it.
 */
async function readCreatedBy(session: DataverseSession, entitySet: string, id: string): Promise<CreatedBy | undefined> {
  for (const client of [session.client, session.caller]) {
    const row = await readAudit(client, entitySet, id);
    if (row) {
      return {
        createdby: lookupValue(row, '_createdby_value'),
        createdbyname: lookupValue(row, `_createdby_value@${FORMATTED_VALUES}`),
        createdonbehalfby: lookupValue(row, '_createdonbehalfby_value'),
        createdonbehalfbyname: lookupValue(row, `_createdonbehalfby_value@${FORMATTED_VALUES}`),
      };
    }
  }
  return undefined;
}

async function readAudit(client: DataverseClient, entitySet: string, id: string): Promise<DataverseRecord | undefined> {
  try {
    return await client.retrieve(entitySet, id, { select: AUDIT_COLUMNS, annotations: FORMATTED_VALUES });
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return undefined;
    throw error;
  }
}

function lookupValue(row: DataverseRecord, key: string): string | null {
  const value = row[key];
  return typeof value === 'string' ? value : null;
}

function forPeople(output: CliContext['options']['output']): boolean {
  return output === 'table' || output === 'csv';
}
