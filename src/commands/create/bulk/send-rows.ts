import type { DataverseClient } from '../../../dataverse/client.js';
import { entitySetSegment } from '../../../dataverse/odata.js';
import type { PendingRow } from './pending-row.js';

/** How rows go to the service: CreateMultiple, or (for a table without it) one POST per row. */
export type SendMode = 'create-multiple' | 'single';

export interface TableTarget {
  entitySet: string;
  logicalName: string;
}

/**
 * One request carrying `rows` (all of one user): `POST <set>/Microsoft.Dynamics.CRM.CreateMultiple`
 * with each Target's `@odata.type`, or a `POST <set>` of the one row
 * (https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations). Resolves with
 * the service's `x-ms-dop-hint`, when it sent one; any failure is thrown for the engine to sort.
 */
export async function sendRows(client: DataverseClient, table: TableTarget, mode: SendMode, rows: readonly PendingRow[]): Promise<number | undefined> {
  const entitySet = entitySetSegment(table.entitySet);
  const only = rows[0];
  const response =
    mode === 'single' && rows.length === 1 && only
      ? await client.send({ method: 'POST', path: entitySet, body: only.record })
      : await client.send({
          method: 'POST',
          path: `${entitySet}/Microsoft.Dynamics.CRM.CreateMultiple`,
          body: { Targets: rows.map((row) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${table.logicalName}`, ...row.record })) },
        });
  const hint = Number(response.headers['x-ms-dop-hint']);
  return Number.isInteger(hint) && hint > 0 ? hint : undefined;
}
