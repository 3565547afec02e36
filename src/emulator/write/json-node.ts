/** A JSON object (not null, not an array): what an entity body or an action's parameters must be. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Microsoft.OData JSON reader's name for the node a value starts with (its errors name them). */
export function jsonNodeKind(value: unknown): 'StartArray' | 'StartObject' | 'PrimitiveValue' {
  if (Array.isArray(value)) return 'StartArray';
  if (typeof value === 'object' && value !== null) return 'StartObject';
  return 'PrimitiveValue';
}
