import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { PRIVILEGE_DEPTHS, type PrivilegeDepth } from '../dataverse/facts.js';
import { isRecord, odataString, recordPath } from '../dataverse/odata.js';

export type { PrivilegeDepth } from '../dataverse/facts.js';

/** Whether a user holds a privilege, and at its deepest; `unknown` when dvas may not ask. */
export type PrivilegeHolding = { holds: true; depth: PrivilegeDepth | undefined } | { holds: false } | { holds: 'unknown' };

/** Real privilege names are `prv` + verb + table, not always Pascal-cased (prvReadincident). */
const PRIVILEGE_NAME = /^prv[A-Za-z0-9_]+$/;

/**
 * Asks Dataverse whether a user holds a privilege, through any role, direct or a team's:
 * `systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName` (an empty
 * answer means the user lacks it). Reading another user's privileges needs read access to that
 * user; a refusal is `unknown`, not a failure, since this only serves to explain another error.
 */
export async function userPrivilege(client: DataverseClient, userId: string, privilegeName: string): Promise<PrivilegeHolding> {
  if (!PRIVILEGE_NAME.test(privilegeName)) return { holds: 'unknown' };
  let body: unknown;
  try {
    ({ body } = await client.send({
      method: 'GET',
      path: `${recordPath('systemusers', userId)}/Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName(PrivilegeName=${odataString(privilegeName)})`,
    }));
  } catch (error) {
    if (error instanceof DataverseApiError) return { holds: 'unknown' };
    throw error;
  }
  if (!isRecord(body) || !Array.isArray(body.RolePrivileges)) return { holds: 'unknown' };
  const entries = body.RolePrivileges.filter(isRecord);
  if (entries.length === 0) return { holds: false };
  const deepest = Math.max(...entries.map((entry) => PRIVILEGE_DEPTHS.findIndex((depth) => depth === entry.Depth)));
  return { holds: true, depth: PRIVILEGE_DEPTHS[deepest] };
}

