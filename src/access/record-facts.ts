import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { Annotation, annotationOf } from '../dataverse/facts.js';
import { isRecord, odataString, recordPath } from '../dataverse/odata.js';
import type { RecordKey } from '../dataverse/record-key.js';
import { lower, text, type TableSecurity } from './facts.js';
import { parseAccessRights, type AccessRight } from './verbs.js';
import type { RecordFacts, RecordService, Share } from './verdict.js';

/**
 * What dvas reads about one row to say whether a principal reaches it: its owner and owning
 * business unit, whom it is shared with, and the service's own answers for a principal
 * (RetrievePrincipalAccess, RetrieveAccessOrigin). Read as the signed-in identity; nothing here
 * decides anything (verdict.ts does).
 */

export interface RecordRead extends RecordFacts {
  /** The row's primary name, for sentences. */
  name: string | null;
}

const OWNER = '_ownerid_value';
const OWNING_UNIT = '_owningbusinessunit_value';

/** The row (by id or alternate key) with its owner and owning business unit; a 404 is the caller's to report. */
export async function readRecord(client: DataverseClient, table: TableSecurity, key: RecordKey): Promise<Omit<RecordRead, 'shares'>> {
  const select = [table.primaryIdAttribute, ...(table.primaryNameAttribute ? [table.primaryNameAttribute] : []), ...(table.userOwned ? [OWNER, OWNING_UNIT] : [])];
  const row = await client.retrieve(table.entitySetName, key, { select, annotations: `${Annotation.FormattedValue},${Annotation.LookupLogicalName}` });
  const id = lower(row[table.primaryIdAttribute]) ?? (key.kind === 'id' ? key.id : '');
  const ownerId = lower(row[OWNER]);
  const ownerKind = row[annotationOf(OWNER, Annotation.LookupLogicalName)];
  const owner = ownerId
    ? { id: ownerId, kind: ownerKind === 'team' ? ('team' as const) : ('systemuser' as const), name: text(row[annotationOf(OWNER, Annotation.FormattedValue)]) }
    : undefined;
  return {
    id,
    name: table.primaryNameAttribute ? text(row[table.primaryNameAttribute]) : null,
    ...(owner ? { owner } : {}),
    businessUnitId: lower(row[OWNING_UNIT]),
  };
}

/** `{'@odata.id':'accounts(<id>)'}`: how a function's entity parameter names a row (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/use-web-api-functions#pass-reference-to-an-entity-to-a-function). */
function targetParameter(table: TableSecurity, id: string): string {
  return `{'@odata.id':'${recordPath(table.entitySetName, { kind: 'id', id })}'}`;
}

/**
 * RetrieveSharedPrincipalsAndAccess (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrievesharedprincipalsandaccess):
 * principals come typed by `@odata.type` and keyed by `ownerid`. Undefined when the identity may not ask.
 */
export async function readShares(client: DataverseClient, table: TableSecurity, id: string): Promise<Share[] | undefined> {
  try {
    const { body } = await client.send({ method: 'GET', path: 'RetrieveSharedPrincipalsAndAccess(Target=@p1)', query: { '@p1': targetParameter(table, id) } });
    const entries = isRecord(body) && Array.isArray(body.PrincipalAccesses) ? body.PrincipalAccesses.filter(isRecord) : [];
    return entries.flatMap((entry): Share[] => {
      const principal = isRecord(entry.Principal) ? entry.Principal : undefined;
      const principalId = lower(principal?.ownerid ?? principal?.systemuserid ?? principal?.teamid);
      if (!principal || !principalId) return [];
      const type = String(principal['@odata.type'] ?? '').replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
      const principalKind = type === 'systemuser' || type === 'team' || type === 'organization' ? type : 'unknown';
      return [{ principalId, principalKind, rights: parseAccessRights(entry.AccessMask) }];
    });
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
}

/**
 * The service's answers about one user and one row: the rights it has there in its own right
 * (RetrievePrincipalAccess, bound to systemuser) and why (RetrieveAccessOrigin), asked together.
 */
export async function askService(client: DataverseClient, table: TableSecurity, recordId: string, userId: string): Promise<RecordService> {
  const [rights, origin] = await Promise.all([principalAccess(client, table, recordId, userId), accessOrigin(client, table, recordId, userId)]);
  return { rights, origin };
}

async function principalAccess(client: DataverseClient, table: TableSecurity, recordId: string, userId: string): Promise<AccessRight[] | undefined> {
  try {
    const { body } = await client.send({
      method: 'GET',
      path: `${recordPath('systemusers', { kind: 'id', id: userId })}/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)`,
      query: { '@p1': targetParameter(table, recordId) },
    });
    return isRecord(body) ? parseAccessRights(body.AccessRights) : undefined;
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
}

/** RetrieveAccessOrigin's sentence; null when the service does not have the function or will not answer. */
async function accessOrigin(client: DataverseClient, table: TableSecurity, recordId: string, userId: string): Promise<string | null> {
  try {
    const { body } = await client.send({
      method: 'GET',
      path: 'RetrieveAccessOrigin(ObjectId=@o,LogicalName=@l,PrincipalId=@p)',
      query: { '@o': recordId, '@l': odataString(table.logicalName), '@p': userId },
    });
    return isRecord(body) ? text(body.Response) : null;
  } catch (error) {
    if (error instanceof DataverseApiError && (error.status === 403 || error.status === 404 || error.status === 400 || error.status === 501)) return null;
    throw error;
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof DataverseApiError && error.status === 403;
}
