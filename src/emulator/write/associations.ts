import { errors } from '../http/errors.js';
import { relationship, RELATIONSHIPS, type RelationshipDef } from '../metadata/relationships.js';
import type { TableDef } from '../metadata/types.js';
import type { Depth } from '../security/depth.js';
import { ACT_ON_BEHALF_PRIVILEGE } from '../security/impersonation.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/** One row at an end of an association. */
export interface AssociationEnd {
  table: TableDef;
  id: string;
  row: Row;
}

/** Two rows and the N:N relationship between them, put on the relationship's left and right sides. */
export interface AssociationPair {
  relationship: RelationshipDef;
  left: AssociationEnd;
  right: AssociationEnd;
}

/** Orders two rows by the relationship's sides, so that either side's navigation property works. */
export function associationPair(relationshipName: string, from: AssociationEnd, to: AssociationEnd): AssociationPair {
  const def = relationship(relationshipName);
  if (!def) throw new Error(`Internal: no N:N relationship '${relationshipName}'.`);
  return from.table.logicalName === def.left ? { relationship: def, left: from, right: to } : { relationship: def, left: to, right: from };
}

/**
 * Associates the pair (204 on the wire). Refused: the Act on Behalf privilege (it is added or
 * removed only by the platform, 0x8004Ed43), a pair already associated (412), and a writer without
 * Write and Append on the left row and AppendTo on the right one. A privilege joins a role at the
 * widest depth it allows.
 */
export function associate(session: WriteSession, pair: AssociationPair): void {
  refuseActOnBehalfPrivilege(pair);
  requireAssociationAccess(session, pair);
  const data = pair.relationship.name === 'roleprivileges_association' ? widestDepth(pair.right.row) : undefined;
  if (!session.store.associate(pair.relationship.name, pair.left.id, pair.right.id, data)) throw errors.duplicateAssociation();
}

/** Removes the pair's association; a pair that is not associated is left as it is (204 all the same). */
export function disassociate(session: WriteSession, pair: AssociationPair): void {
  refuseActOnBehalfPrivilege(pair);
  requireAssociationAccess(session, pair);
  session.store.disassociate(pair.relationship.name, pair.left.id, pair.right.id);
}

function requireAssociationAccess(session: WriteSession, { left, right }: AssociationPair): void {
  session.require('Write', left.table, left.row);
  session.require('Append', left.table, left.row);
  session.require('AppendTo', right.table, right.row);
}

function refuseActOnBehalfPrivilege({ relationship: def, right }: AssociationPair): void {
  if (def.name === 'roleprivileges_association' && right.row.name === ACT_ON_BEHALF_PRIVILEGE) {
    throw errors.cannotAddOrRemoveActOnBehalfPrivilege();
  }
}

function widestDepth(privilege: Row): Depth {
  if (privilege.canbeglobal === true) return 'Global';
  if (privilege.canbedeep === true) return 'Deep';
  if (privilege.canbelocal === true) return 'Local';
  if (privilege.canbebasic === true) return 'Basic';
  return 'Global';
}

/** Drops every N:N link of a row being deleted, so that nothing points at it (a deleted role grants nothing). */
export function removeAllAssociations(store: Store, table: TableDef, id: string): void {
  for (const def of RELATIONSHIPS) {
    if (def.left === table.logicalName) {
      for (const other of [...store.associated(def.name, id, true)]) store.disassociate(def.name, id, other);
    }
    if (def.right === table.logicalName) {
      for (const other of [...store.associated(def.name, id, false)]) store.disassociate(def.name, other, id);
    }
  }
}
