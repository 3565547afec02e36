import type { MetadataRegistry } from '../metadata/registry.js';
import { formatAccessMask, parseAccessMask, SHARE_TABLE, type ShareRow } from '../security/shares.js';
import { deterministicGuid } from '../ids.js';
import type { Store } from '../store/store.js';
import type { SeedShare } from './types.js';

/**
 * The seed's `shares`: records shared with a user or a team, as GrantAccess would leave them (one
 * principalobjectaccess row per record and principal, the same id GrantAccess gives it).
 */
export function loadShares(
  store: Store,
  metadata: MetadataRegistry,
  shares: readonly SeedShare[],
  principal: (name: string, context: string) => { table: 'systemuser' | 'team'; id: string },
  /** The loader's SeedError (passed in, so this file and the loader do not import each other). */
  fail: (message: string) => Error,
): void {
  for (const share of shares) {
    const table = metadata.table(share.table);
    if (!table) throw fail(`A share names table '${share.table}', which does not exist.`);
    const context = `The share of ${share.table} '${share.name}'`;
    const rows = [...store.rows(table.logicalName).values()].filter((row) => row[table.primaryNameAttribute] === share.name);
    if (rows.length !== 1) throw fail(`${context} needs exactly one row of that name; there are ${rows.length}.`);
    const objectId = String(rows[0]?.[table.primaryIdAttribute]);
    const to = principal(share.with, context);
    const mask = Array.isArray(share.rights) ? parseAccessMask(share.rights.join(', ')) : undefined;
    if (mask === undefined || mask === 0) {
      throw fail(`${context} needs "rights" such as ["ReadAccess", "WriteAccess"] (AccessRights names).`);
    }
    const id = deterministicGuid(`principalobjectaccess:${objectId}:${to.id}`);
    const row: ShareRow = {
      principalobjectaccessid: id,
      objectid: objectId,
      objecttypecode: table.logicalName,
      principalid: to.id,
      principaltypecode: to.table,
      accessrightsmask: mask,
    };
    if (store.get(SHARE_TABLE, id)) throw fail(`${context} with '${share.with}' is declared twice (${formatAccessMask(mask)}).`);
    store.insert(SHARE_TABLE, id, { ...row });
  }
}
