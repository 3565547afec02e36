import { LOOKUP_TYPES, type AttributeDef } from '../metadata/types.js';

/**
 * The name an attribute has in Web API JSON: lookups surface as `_<attribute>_value` (reference
 * §3.1), every other column under its logical name.
 */
export function propertyName(attribute: AttributeDef): string {
  return LOOKUP_TYPES.has(attribute.type) ? `_${attribute.logicalName}_value` : attribute.logicalName;
}
