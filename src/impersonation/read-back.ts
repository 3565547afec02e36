import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { Annotation, annotationOf } from '../dataverse/facts.js';
import type { DataverseRecord } from '../dataverse/odata.js';
import type { RecordKey } from '../dataverse/record-key.js';
import type { DataverseSession } from './session.js';

/**
 * Which pair of audit lookups to read back: `created` (createdby / createdonbehalfby) after a
 * create, `modified` (modifiedby / modifiedonbehalfby) after an update.
 */
export type AuditColumns = 'created' | 'modified';

/**
 * Who Dataverse says wrote a row, under the lookups' names as Dataverse names them
 * (`createdbyname`, `modifiedonbehalfby`…): the user, and on whose behalf, with their names.
 */
export type WrittenBy<Which extends AuditColumns> = {
  [K in `${Which}by` | `${Which}byname` | `${Which}onbehalfby` | `${Which}onbehalfbyname`]: string | null;
};

/** Who Dataverse says created a row. */
export type CreatedBy = WrittenBy<'created'>;
/** Who Dataverse says last modified a row. */
export type ModifiedBy = WrittenBy<'modified'>;

/**
 * Who Dataverse says wrote the row (created it, or modified it last). Read as the --as user first
 * (it owns the row), then as the signed-in identity; undefined when neither may read it. This is
 * the check that --as was applied: Dataverse can silently run a write as the signed-in identity.
 */
export async function readWrittenBy<Which extends AuditColumns>(
  session: Pick<DataverseSession, 'client' | 'caller'>,
  entitySet: string,
  id: RecordKey | string,
  which: Which,
): Promise<WrittenBy<Which> | undefined> {
  const by = `_${which}by_value`;
  const onBehalfBy = `_${which}onbehalfby_value`;
  for (const client of [session.client, session.caller]) {
    const row = await readAudit(client, entitySet, id, [by, onBehalfBy]);
    if (row) {
      return {
        [`${which}by`]: lookupValue(row, by),
        [`${which}byname`]: lookupValue(row, annotationOf(by, Annotation.FormattedValue)),
        [`${which}onbehalfby`]: lookupValue(row, onBehalfBy),
        [`${which}onbehalfbyname`]: lookupValue(row, annotationOf(onBehalfBy, Annotation.FormattedValue)),
      } as WrittenBy<Which>;
    }
  }
  return undefined;
}

/** Who Dataverse says created the row: {@link readWrittenBy} with the created* columns. */
export function readCreatedBy(session: Pick<DataverseSession, 'client' | 'caller'>, entitySet: string, id: string): Promise<CreatedBy | undefined> {
  return readWrittenBy(session, entitySet, id, 'created');
}

async function readAudit(client: DataverseClient, entitySet: string, id: RecordKey | string, columns: string[]): Promise<DataverseRecord | undefined> {
  try {
    return await client.retrieve(entitySet, id, { select: columns, annotations: Annotation.FormattedValue });
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return undefined;
    throw error;
  }
}

function lookupValue(row: DataverseRecord, key: string): string | null {
  const value = row[key];
  return typeof value === 'string' ? value : null;
}
