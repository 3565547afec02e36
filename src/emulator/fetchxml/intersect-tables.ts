import { defineTable } from '../metadata/define.js';
import { RELATIONSHIPS, type RelationshipDef } from '../metadata/relationships.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';
import { isDepth, type Depth } from '../security/depth.js';

/**
 * The intersect tables of the N:N relationships the emulator stores (`teammembership` for
 * `teammembership_association`, with `systemuserid` and `teamid`), which FetchXML joins through to
 * query many-to-many relationships (join-tables "Many-to-many relationships"). The emulator keeps
 * the pairs as associations, so an intersect table's rows are made from them when a query joins it.
 * `roleprivileges` also has `privilegedepthmask`, the role's depth for that privilege as the bit
 * mask Microsoft documents for queries (Basic 1, Local 2, Deep 4, Global 8: the PrivilegeDepth
 * enumeration, https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg308072(v=crm.8)),
 * read from the depth stored with the pair.
 */
export interface IntersectTable {
  table: TableDef;
  relationship: RelationshipDef;
  leftColumn: string;
  rightColumn: string;
}

const ROLE_PRIVILEGES = 'roleprivileges_association';
const DEPTH_MASK_COLUMN = 'privilegedepthmask';
const DEPTH_MASKS: Readonly<Record<Depth, number>> = { Basic: 1, Local: 2, Deep: 4, Global: 8 };

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
        ...(relationship.name === ROLE_PRIVILEGES ? [{ name: DEPTH_MASK_COLUMN, type: 'Integer' as const }] : []),
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
  const { name } = intersect.relationship;
  return [...store.associated(name, key, fromLeft)].map((other) => {
    const row: Row = { [intersect.leftColumn]: fromLeft ? key : other, [intersect.rightColumn]: fromLeft ? other : key };
    if (name === ROLE_PRIVILEGES) {
      const depth = store.associationData(name, String(row[intersect.leftColumn]), String(row[intersect.rightColumn]));
      row[DEPTH_MASK_COLUMN] = isDepth(depth) ? DEPTH_MASKS[depth] : null;
    }
    return row;
  });
}
