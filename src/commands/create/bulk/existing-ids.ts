import type { DataverseClient } from '../../../dataverse/client.js';

/** Ids asked about per query: 100 GUIDs keep the URL near 4 KB, well inside what the service accepts. */
const IDS_PER_QUERY = 100;

/**
 * Which of these ids exist in the table: after an ambiguous failure, or a CreateMultiple refused
 * for a duplicate key, this is how dvas learns which rows of the batch are already there
 * (docs/bulk-create.md, "Ids and exactly once"). One query per 100 ids with the `In` query
 * function, selecting the key only:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/in
 */
export async function existingIds(client: DataverseClient, entitySet: string, primaryId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const chunk = ids.slice(start, start + IDS_PER_QUERY);
    const values = chunk.map((id) => JSON.stringify(id)).join(',');
    const page = await client.retrieveMultiple(
      entitySet,
      { select: [primaryId], filter: `Microsoft.Dynamics.CRM.In(PropertyName='${primaryId}',PropertyValues=[${values}])` },
      { all: true },
    );
    for (const row of page.records) {
      const id = row[primaryId];
      if (typeof id === 'string') found.add(id.toLowerCase());
    }
  }
  return found;
}
