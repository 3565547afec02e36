import type { DataverseClient } from './client.js';
import { idFromEntityId, includeAnnotations, isRecord, recordPath, type DataverseRecord } from './odata.js';
import type { RecordKey } from './record-key.js';

/**
 * Update, delete and link rows through the Web API, as Microsoft documents them:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 */

/** How an update may treat the row: only if it exists, only at one version, or create it when missing. */
export type UpdateCondition = { kind: 'exists' } | { kind: 'version'; etag: string } | { kind: 'upsert' };

export interface UpdateOptions {
  condition: UpdateCondition;
  /** Ask for the row back (`Prefer: return=representation`). */
  returnRepresentation?: boolean;
  annotations?: string;
}

export interface UpdateResult {
  /** The row's GUID when the answer named it (OData-EntityId, or the returned row). */
  id: string | undefined;
  /** With returnRepresentation. */
  record?: DataverseRecord;
  /** Only known with returnRepresentation: 201 means the upsert created the row. */
  created?: boolean;
}

/**
 * `PATCH <set>(<key>)`. `If-Match: *` makes it an update only: a missing row is 404 (exit 6),
 * never a new row; an ETag makes it an update of that version only (412 once someone changed the
 * row); no If-Match is Dataverse's upsert.
 */
export async function updateRow(
  client: DataverseClient,
  entitySet: string,
  key: RecordKey,
  changes: DataverseRecord,
  options: UpdateOptions & { primaryIdAttribute: string },
): Promise<UpdateResult> {
  const ifMatch = options.condition.kind === 'exists' ? '*' : options.condition.kind === 'version' ? options.condition.etag : undefined;
  const { status, headers, body } = await client.send({
    method: 'PATCH',
    path: recordPath(entitySet, key),
    body: changes,
    ...(ifMatch ? { headers: { 'If-Match': ifMatch } } : {}),
    ...(options.returnRepresentation
      ? { prefer: ['return=representation', ...(options.annotations ? [includeAnnotations(options.annotations)] : [])] }
      : {}),
  });
  const record = isRecord(body) ? body : undefined;
  const fromRow = record?.[options.primaryIdAttribute];
  const id = (key.kind === 'id' ? key.id : undefined) ?? idFromEntityId(headers['odata-entityid']) ?? (typeof fromRow === 'string' ? fromRow : undefined);
  return { id, ...(record ? { record, created: status === 201 } : {}) };
}

/** `DELETE <set>(<key>)`: 204; a missing row is 404 (exit 6). */
export async function deleteRow(client: DataverseClient, entitySet: string, key: RecordKey): Promise<void> {
  await client.send({ method: 'DELETE', path: recordPath(entitySet, key) });
}

/** One end of a link: the row's table (entity set) and key. */
export interface RowReference {
  entitySet: string;
  key: RecordKey;
}

/** The `@odata.id` URL of a row, absolute on the environment, as the docs' examples write it. */
export function rowUrl(client: DataverseClient, row: RowReference): string {
  return new URL(recordPath(row.entitySet, row.key), client.apiRoot).toString();
}

/**
 * Links two rows through a navigation property of the first: `POST …/<nav>/$ref` for a
 * collection-valued one (1:N, N:N), `PUT …/<nav>/$ref` for a single-valued one (a lookup).
 * The POST may be sent again after a lost answer, unlike a create: linking the same two rows
 * twice leaves one link (a 1:N sets the same lookup again; an N:N pair already linked is refused
 * as a duplicate, which the caller takes as done).
 */
export async function associateRows(client: DataverseClient, from: RowReference, navigation: string, to: RowReference, single: boolean): Promise<void> {
  await client.send({
    method: single ? 'PUT' : 'POST',
    path: `${recordPath(from.entitySet, from.key)}/${navigation}/$ref`,
    body: { '@odata.id': rowUrl(client, to) },
    idempotent: true,
  });
}

/**
 * Removes the link: `DELETE …/<nav>/$ref?$id=<url>` from a collection-valued navigation,
 * `DELETE …/<nav>/$ref` for a single-valued one (which holds one row only).
 */
export async function disassociateRows(client: DataverseClient, from: RowReference, navigation: string, to: RowReference, single: boolean): Promise<void> {
  await client.send({
    method: 'DELETE',
    path: `${recordPath(from.entitySet, from.key)}/${navigation}/$ref`,
    ...(single ? {} : { query: { $id: rowUrl(client, to) } }),
  });
}
