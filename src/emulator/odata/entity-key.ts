import { isGuid, normalizeGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import { splitTopLevel } from '../http/resource-path.js';

/**
 * The name of a table's declared key in the service's EDM model. systemuser and team inherit theirs
 * from `principal`, whose key is `ownerid`: Microsoft's alternate-key page says they cannot be
 * addressed as `systemusers(systemuserid=…)` / `teams(teamid=…)` for that reason.
 */
export function declaredKeyName(table: TableDef): string {
  return table.logicalName === 'systemuser' || table.logicalName === 'team' ? 'ownerid' : table.primaryIdAttribute;
}

/**
 * What the text between a key segment's parentheses names: the row's id (`<guid>` or
 * `<declared key>=<guid>`), an alternate key (any other key name, or several keys), which the
 * emulator defines for no table, or a declared key whose value is not a GUID.
 */
export type EntityKey = { kind: 'id'; id: string } | { kind: 'alternate' } | { kind: 'not-a-guid' };

export function parseEntityKey(table: TableDef, args: string): EntityKey {
  const parts = splitTopLevel(args, ',');
  if (parts.length > 1) return { kind: 'alternate' };
  const key = args.trim();
  const eq = key.indexOf('=');
  if (eq !== -1 && key.slice(0, eq).trim() !== declaredKeyName(table)) return { kind: 'alternate' };
  const value = eq === -1 ? key : key.slice(eq + 1).trim();
  return isGuid(value) ? { kind: 'id', id: normalizeGuid(value) } : { kind: 'not-a-guid' };
}
