import { defineTable } from '../metadata/define.js';
import { RELATIONSHIPS, type RelationshipDef } from '../metadata/relationships.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';

/**
 * The intersect tables of the N:N relationships the emulator stores (`teammembership` for
 * `teammembership_association`, with `systemuserid` and `teamid`), which FetchXML joins through to
 * query many-to-many relationships (join-tables "Many-to-many relationships"). The emulator keeps
 * the pairs as associations, so an intersect table's rows are made from them when a query joins it.
 */
export interface IntersectTable {
  table: TableDef;
  relationship: RelationshipDef;
  leftColumn: string;
  rightColumn: string;
}

const TABLES: ReadonlyMap<string, IntersectTable> = new Map(
  RELATIONSHIPS.map((relationship) => {
    const name = relationship.name.replace(/_association$/, '');
    const leftColumn = `${relationship.left}id`;
    const rightColumn = `${relationship.right}id`;
    const table = defineTable({
      logicalName: name,
      objectTypeCode: 0,
      ownershipType: 'None',
      auditColumns: false,
      supportsCreateMultiple: false,
      columns: [
        { name: leftColumn, type: 'Uniqueidentifier' },
        { name: rightColumn, type: 'Uniqueidentifier' },
      ],
    });
    return [name, { table, relationship, leftColumn, rightColumn }] as const;
  }),
);

export function intersectTable(name: string): IntersectTable | undefined {
  return TABLES.get(name);
}

/** The intersect rows whose `from` column holds `key` (an id, lower-case): one per associated pair. */
export function intersectRows(store: Store, intersect: IntersectTable, from: AttributeDef, key: string): Row[] {
  const fromLeft = from.logicalName === intersect.leftColumn;
  if (!fromLeft && from.logicalName !== intersect.rightColumn) return [];
  return [...store.associated(intersect.relationship.name, key, fromLeft)].map((other) => ({
    [intersect.leftColumn]: fromLeft ? key : other,
    [intersect.rightColumn]: fromLeft ? other : key,
  }));
}
