import { errors } from '../http/errors.js';
import { privilegeName, type TableDef } from '../metadata/types.js';
import type { SecurityModel } from '../security/model.js';
import { isLookupValue, type LookupValue, type Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/**
 * Sets who owns a user-owned row: ownerid, and owninguser or owningteam with the owner's business
 * unit as owningbusinessunit (what Local and Deep privileges are measured against).
 */
export function assignOwner(session: WriteSession, row: Row, owner: LookupValue): void {
  row.ownerid = owner;
  row.owninguser = owner.table === 'systemuser' ? owner : null;
  row.owningteam = owner.table === 'team' ? owner : null;
  if (owner === session.actingUser) row.owningbusinessunit = session.actingBusinessUnit;
  else {
    const unit = session.store.get(owner.table, owner.id)?.businessunitid;
    row.owningbusinessunit = isLookupValue(unit) ? unit : null;
  }
}

/**
 * Business-owned rows (teams, roles, users…) belong to their business unit: the one the row names,
 * else the writer's. A business unit owns itself.
 */
export function assignBusinessUnit(session: WriteSession, table: TableDef, row: Row): void {
  const id = row[table.primaryIdAttribute];
  if (table.logicalName === 'businessunit' && typeof id === 'string') {
    row.owningbusinessunit = { table: 'businessunit', id };
    return;
  }
  if (table.attributes.has('businessunitid') && !isLookupValue(row.businessunitid)) row.businessunitid = session.actingBusinessUnit;
  const unit = row.businessunitid;
  row.owningbusinessunit = isLookupValue(unit) ? unit : session.actingBusinessUnit;
}

/** Whether `owner` is the row's owner already (binding the current owner is no assignment). */
export function isCurrentOwner(owner: LookupValue, current: unknown): boolean {
  return isLookupValue(current) && current.id === owner.id && current.table === owner.table;
}

/**
 * A row may only be given to a user or team that could read it (0x80040299). The owner reads
 * what it owns at any depth, so holding the Read privilege at all is enough; a team holds what
 * its roles hold.
 */
export function requireOwnerCanRead(model: SecurityModel, table: TableDef, owner: LookupValue): void {
  const name = privilegeName('Read', table);
  if (!principalHolds(model, owner, name)) throw errors.targetPrincipalLacksRead();
}

function principalHolds(model: SecurityModel, principal: LookupValue, privilege: string): boolean {
  const holdings = principal.table === 'systemuser' ? model.holdings(principal.id) : model.teamHoldings(principal.id);
  return holdings.has(privilege);
}
