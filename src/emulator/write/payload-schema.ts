import { LOOKUP_TYPES, type AttributeDef, type NavigationDef, type TableDef } from '../metadata/types.js';
import { propertyName } from '../odata/property-names.js';

/**
 * What a property name in a create/update body means for one table. Computed once per table, so
 * reading a 1,000-row CreateMultiple costs one map lookup per property.
 */
export type PayloadProperty =
  | { kind: 'primaryKey'; attribute: AttributeDef }
  | { kind: 'column'; attribute: AttributeDef }
  /** A single-valued navigation property: written with `name@odata.bind` (or `name: null` to clear). */
  | { kind: 'lookup'; attribute: AttributeDef; targets: readonly string[] }
  /** A collection-valued navigation property (1:N or N:N). */
  | { kind: 'collection'; navigation: NavigationDef }
  /** A lookup's `_x_value` property: read-only, and refused in a body (lookups go through navigation properties). */
  | { kind: 'lookupValue' }
  /**
   * Declared but not valid for create or update, so the service ignores it: platform columns
   * (createdon, versionnumber, fullname…) and their navigation properties (createdby…).
   */
  | { kind: 'ignored'; navigation: boolean };

const schemas = new WeakMap<TableDef, ReadonlyMap<string, PayloadProperty>>();

export function payloadSchema(table: TableDef): ReadonlyMap<string, PayloadProperty> {
  let schema = schemas.get(table);
  if (!schema) {
    schema = buildSchema(table);
    schemas.set(table, schema);
  }
  return schema;
}

function buildSchema(table: TableDef): Map<string, PayloadProperty> {
  const schema = new Map<string, PayloadProperty>();
  for (const attribute of table.attributes.values()) {
    if (attribute.logicalName === table.primaryIdAttribute) schema.set(attribute.logicalName, { kind: 'primaryKey', attribute });
    else if (LOOKUP_TYPES.has(attribute.type)) schema.set(propertyName(attribute), { kind: 'lookupValue' });
    else if (attribute.readOnly) schema.set(attribute.logicalName, { kind: 'ignored', navigation: false });
    else schema.set(attribute.logicalName, { kind: 'column', attribute });
  }
  for (const navigation of table.navigations.values()) {
    if (navigation.kind !== 'single') {
      schema.set(navigation.name, { kind: 'collection', navigation });
      continue;
    }
    const attribute = table.attributes.get(navigation.attribute);
    if (!attribute) throw new Error(`Internal: navigation ${table.logicalName}.${navigation.name} has no attribute.`);
    if (attribute.readOnly) {
      schema.set(navigation.name, { kind: 'ignored', navigation: true });
      continue;
    }
    // `ownerid` is one navigation property over two tables: it takes a user or a team.
    const targets = attribute.type === 'Owner' ? (attribute.targets ?? [navigation.target]) : [navigation.target];
    schema.set(navigation.name, { kind: 'lookup', attribute, targets });
  }
  return schema;
}
