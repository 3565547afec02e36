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
 * `<declared key>=<guid>`), an alternate key (any other key name, or several `name=value` pairs:
 * property name → the literal as sent, bound to the table's keys by odata/alternate-key.ts), or a
 * declared key whose value is not a GUID.
 */
export type EntityKey =
  | { kind: 'id'; id: string }
  | { kind: 'alternate'; parts: ReadonlyMap<string, string>; text: string }
  | { kind: 'not-a-guid' };

export function parseEntityKey(table: TableDef, args: string): EntityKey {
  const pieces = splitTopLevel(args, ',');
  const key = args.trim();
  const eq = key.indexOf('=');
  if (pieces.length > 1 || (eq !== -1 && key.slice(0, eq).trim() !== declaredKeyName(table))) {
    return { kind: 'alternate', parts: keyParts(pieces), text: key };
  }
  const value = eq === -1 ? key : key.slice(eq + 1).trim();
  return isGuid(value) ? { kind: 'id', id: normalizeGuid(value) } : { kind: 'not-a-guid' };
}

/** `a='x',b=2` → a → 'x', b → 2 (a piece without `=`, or a name given twice, names no key: ''). */
function keyParts(pieces: readonly string[]): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    const name = eq === -1 ? '' : piece.slice(0, eq).trim();
    parts.set(parts.has(name) ? '' : name, eq === -1 ? piece : piece.slice(eq + 1));
  }
  return parts;
}
