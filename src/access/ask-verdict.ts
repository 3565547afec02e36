import { signedInLabel } from './signed-in-label.js';
import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import type { RecordKey } from '../dataverse/record-key.js';
import { describeUser } from '../users/user-record.js';
import { depthsOf, grantsOf, readBusinessUnits, readUsersWithRoles, rolesGrantingWithDepths, rolesWith, type RoleRef, type TableSecurity, type UserWithRoles } from './facts.js';
import { askService, readRecord, readShares, type RecordRead } from './record-facts.js';
import { ACCESS_RIGHT, type Verb } from './verbs.js';
import { ACT_ON_BEHALF, decide, type PrincipalFacts, type Verdict } from './verdict.js';

export interface VerdictInput {
  verb: Verb;
  table: TableSecurity;
  /** The signed-in identity's systemuserid (WhoAmI without impersonation). */
  callerId: string;
  /** Under --as: the systemuserid of the user acted as. */
  targetId?: string;
  /** With --record: the row to reach. */
  record?: RecordKey;
}

export interface AskedVerdict {
  privilege: string;
  verdict: Verdict;
  /** The row, when one was asked about. */
  record?: RecordRead;
  /** Every role of the organisation that grants the privilege (what would fix a denial); undefined when the identity may not read roles. */
  granting: RoleRef[] | undefined;
}

/**
 * Gathers what the Web API says about the people (and the row) involved in one operation, then
 * decides (verdict.ts). Read as the signed-in identity: nothing is sent as the user acted as.
 * Requests, after the table's: with a record, the row (1); then at once both users with their
 * roles and teams (1), every role granting the privilege or prvActOnBehalfOfAnotherUser with its
 * depth of each (1, however many roles the users hold) and, with a record, its shares,
 * RetrievePrincipalAccess and RetrieveAccessOrigin for the subject and the business units (4).
 */
export async function askVerdict(client: DataverseClient, input: VerdictInput): Promise<AskedVerdict> {
  const { verb, table, callerId, targetId } = input;
  const privilege = table.privileges.get(verb);
  if (!privilege) throw new Error(`Internal: the table ${table.logicalName} has no ${verb} privilege.`);
  const subjectId = targetId ?? callerId;
  const row = input.record ? await readRecord(client, table, input.record) : undefined;
  const asksRow = row !== undefined && !table.organizationOwned;
  const [users, granting, shares, service, businessUnits] = await Promise.all([
    readUsersWithRoles(client, [callerId, ...(targetId ? [targetId] : [])]),
    // An identity that may not read roles cannot tell what anyone holds: the verdict says "unknown".
    rolesGrantingWithDepths(client, [privilege, ACT_ON_BEHALF]).catch((error: unknown) => {
      if (error instanceof DataverseApiError && error.status === 403) return undefined;
      throw error;
    }),
    asksRow ? readShares(client, table, row.id) : undefined,
    asksRow ? askService(client, table, row.id, subjectId) : undefined,
    asksRow ? readBusinessUnits(client) : undefined,
  ]);
  const record: RecordRead | undefined = row ? { ...row, shares } : undefined;
  const depths = granting ? depthsOf(granting, privilege) : new Map();
  const actDepths = granting ? depthsOf(granting, ACT_ON_BEHALF) : new Map();
  const callerLabel = await signedInLabel(client, users.get(callerId)?.user, callerId);
  const facts = (id: string, signedIn: boolean): PrincipalFacts => {
    const holder: UserWithRoles | undefined = users.get(id);
    return {
      id,
      label: signedIn ? callerLabel : holder ? describeUser(holder.user) : id,
      disabled: holder?.user.isdisabled ?? false,
      businessUnitId: holder?.user.businessunitid ?? null,
      teamIds: holder?.teams.map((team) => team.id) ?? [],
      grants: holder && granting ? grantsOf(holder, depths) : undefined,
    };
  };
  const caller = facts(callerId, true);
  const callerHolder = users.get(callerId);
  const teamNames = new Map([...users.values()].flatMap((holder) => holder.teams.flatMap((team) => (team.name ? [[team.id, team.name] as const] : []))));
  const verdict = decide({
    privilege,
    right: ACCESS_RIGHT[verb],
    organizationOwned: table.organizationOwned,
    subject: targetId ? facts(targetId, targetId === callerId) : caller,
    ...(targetId ? { impersonator: { principal: caller, actOnBehalf: callerHolder && granting ? grantsOf(callerHolder, actDepths) : undefined } } : {}),
    ...(record ? { record } : {}),
    ...(businessUnits ? { businessUnits } : {}),
    ...(service ? { recordService: service } : {}),
    teamNames,
  });
  return { privilege, verdict, ...(record ? { record } : {}), granting: granting ? rolesWith(granting, privilege) : undefined };
}
