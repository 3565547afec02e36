import { errors } from '../http/errors.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { attributeByProperty } from './property-names.js';

/** A parsed $select: the names as written (for @odata.context) and the attributes they name. */
export interface SelectList {
  names: readonly string[];
  attributes: readonly AttributeDef[];
}

/**
 * Parses `$select=name,_primarycontactid_value`. Property names are case-sensitive and a lookup is
 * selected by its `_x_value` name, as in the service; anything else is the 400 "Could not find a
 * property named …". An empty or `*` selection means every column (undefined).
 */
export function parseSelect(text: string, table: TableDef): SelectList | undefined {
  const names: string[] = [];
  const attributes: AttributeDef[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '' || name === '*' || names.includes(name)) continue;
    const attribute = attributeByProperty(table, name);
    if (!attribute) throw errors.propertyNotFound(name, table.logicalName);
    names.push(name);
    attributes.push(attribute);
  }
  return names.length > 0 ? { names, attributes } : undefined;
}
