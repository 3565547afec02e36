import { errors } from '../http/errors.js';
import type { TableDef } from '../metadata/types.js';
import type { LookupBind } from '../odata/payload.js';
import { existingRow } from '../store/existing-row.js';
import type { LookupValue, Row } from '../store/types.js';
import type { WriteSession } from './session.js';

/** One `@odata.bind` of a payload with the row it points at (none when the bind clears the lookup). */
export interface BoundLookup {
  bind: LookupBind;
  value: LookupValue | null;
  targetRow: Row | undefined;
}

/** Every row a payload binds must exist: a missing one is the service's 404 naming it, before any privilege check. */
export function loadBoundRows(session: WriteSession, binds: readonly LookupBind[]): BoundLookup[] {
  return binds.map((bind) => {
    if (!bind.target) return { bind, value: null, targetRow: undefined };
    const { table, id } = bind.target;
    const targetRow = existingRow(session.store, table, id);
    return { bind, value: { table: table.logicalName, id }, targetRow };
  });
}

/**
 * Writes the bound lookups into `row` and demands what associating rows takes (docs/dataverse-web-api.md §4.1):
 * Append on the row being written (`appendRow`: as it stands before this write) and AppendTo on
 * each bound row. The owner is not a lookup: its new value is returned for the caller to assign.
 */
export function applyLookups(session: WriteSession, table: TableDef, row: Row, bound: readonly BoundLookup[], appendRow: Row): LookupValue | undefined {
  let owner: LookupValue | undefined;
  let appendChecked = false;
  for (const { bind, value, targetRow } of bound) {
    if (bind.attribute.type === 'Owner') {
      if (!value) throw errors.invalidArgument('The owner of a record cannot be set to null.');
      owner = value;
      continue;
    }
    row[bind.attribute.logicalName] = value;
    if (!targetRow || !bind.target) continue;
    if (!appendChecked) {
      session.require('Append', table, appendRow);
      appendChecked = true;
    }
    session.require('AppendTo', bind.target.table, targetRow);
  }
  return owner;
}
