import { LOOKUP_TYPES, type AttributeDef, type TableDef } from '../metadata/types.js';

/**
 * The name an attribute has in Web API JSON: lookups surface as `_<attribute>_value` (reference
 * §3.1), every other column under its logical name.
 */
export function propertyName(attribute: AttributeDef): string {
  return LOOKUP_TYPES.has(attribute.type) ? `_${attribute.logicalName}_value` : attribute.logicalName;
}

/** A column to write: the attribute and its Web API property name, worked out once per query, not per row. */
export interface Column {
  attribute: AttributeDef;
  property: string;
}

export function column(attribute: AttributeDef): Column {
  return { attribute, property: propertyName(attribute) };
}

export function isLookup(attribute: AttributeDef): boolean {
  return LOOKUP_TYPES.has(attribute.type);
}

const byPropertyName = new WeakMap<TableDef, ReadonlyMap<string, AttributeDef>>();

/**
 * The attribute behind a Web API property name (`name`, `_primarycontactid_value`), or undefined.
 * A lookup's bare logical name is not a property: the service only knows `_x_value` and the
 * navigation properties. Built once per table, since every query resolves names through here.
 */
export function attributeByProperty(table: TableDef, property: string): AttributeDef | undefined {
  let index = byPropertyName.get(table);
  if (!index) {
    const built = new Map<string, AttributeDef>();
    for (const attribute of table.attributes.values()) built.set(propertyName(attribute), attribute);
    byPropertyName.set(table, built);
    index = built;
  }
  return index.get(property);
}

const navigationNames = new WeakMap<TableDef, ReadonlyMap<string, string>>();

/**
 * The single-valued navigation property behind a lookup value: what the service reports as
 * `Microsoft.Dynamics.CRM.associatednavigationproperty` (`parentcustomerid_account` for a
 * contact's company that is an account; `ownerid` whatever the owner's table).
 */
export function navigationNameFor(table: TableDef, attribute: string, targetTable: string): string | undefined {
  let index = navigationNames.get(table);
  if (!index) {
    const built = new Map<string, string>();
    for (const navigation of table.navigations.values()) {
      if (navigation.kind === 'single') built.set(`${navigation.attribute}/${navigation.target}`, navigation.name);
    }
    navigationNames.set(table, built);
    index = built;
  }
  return index.get(`${attribute}/${targetTable}`) ?? (attribute === 'ownerid' && table.navigations.has('ownerid') ? 'ownerid' : undefined);
}
