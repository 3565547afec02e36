import type { PrivilegeVerb } from '../metadata/types.js';

/**
 * Record sharing as the service keeps it: one principalobjectaccess row per shared record and
 * principal (user or team), holding the AccessRights bits of the share
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/principalobjectaccess).
 */
export const SHARE_TABLE = 'principalobjectaccess';

/** The AccessRights flags (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/accessrights), in value order. */
export const ACCESS_RIGHT_FLAGS: ReadonlyArray<readonly [string, number, PrivilegeVerb | undefined]> = [
  ['ReadAccess', 1, 'Read'],
  ['WriteAccess', 2, 'Write'],
  ['AppendAccess', 4, 'Append'],
  ['AppendToAccess', 16, 'AppendTo'],
  ['CreateAccess', 32, 'Create'],
  ['DeleteAccess', 65536, 'Delete'],
  ['ShareAccess', 262144, 'Share'],
  ['AssignAccess', 524288, 'Assign'],
];

export type SharePrincipalType = 'systemuser' | 'team';

export interface ShareRow {
  principalobjectaccessid: string;
  objectid: string;
  objecttypecode: string;
  principalid: string;
  principaltypecode: SharePrincipalType;
  accessrightsmask: number;
}

export function rightOf(verb: PrivilegeVerb): number {
  return ACCESS_RIGHT_FLAGS.find(([, , flagVerb]) => flagVerb === verb)?.[1] ?? 0;
}

/** "WriteAccess, DeleteAccess" → bits; undefined for a name the enum does not have. */
export function parseAccessMask(text: string): number | undefined {
  let mask = 0;
  for (const part of text.split(',').map((name) => name.trim()).filter(Boolean)) {
    if (part === 'None') continue;
    const flag = ACCESS_RIGHT_FLAGS.find(([name]) => name === part);
    if (!flag) return undefined;
    mask |= flag[1];
  }
  return mask;
}

/** Bits → "ReadAccess, WriteAccess", or "None", as the service serializes the flags enum. */
export function formatAccessMask(mask: number): string {
  const names = ACCESS_RIGHT_FLAGS.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
  return names.length > 0 ? names.join(', ') : 'None';
}
