import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';
import { parseEntityReference, type EntityReference } from './entity-reference.js';
import { convertColumnValue } from '../write/column-value.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';
import { payloadSchema, type PayloadProperty } from '../write/payload-schema.js';

/** A lookup set through its navigation property: `parentcustomerid_account@odata.bind`, or cleared with null. */
export interface LookupBind {
  attribute: AttributeDef;
  /** The navigation property as written in the body (what errors name). */
  property: string;
  target: EntityReference | null;
}

/** A create/update body read against the table's metadata. */
export interface EntityPayload {
  /** The primary key when the body supplies one. */
  id: string | undefined;
  /** Column values by logical name, already validated. A create turns this very object into the new row. */
  values: Row;
  binds: LookupBind[];
}

/** Reads a request body as JSON; malformed JSON (or none) is the service's ODataClientPayloadError. */
export function parseJsonBody(entitySetName: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw errors.invalidJson(
      entitySetName,
      /end of (JSON )?input/i.test(message) || body.trim() === ''
        ? 'An unexpected end of input was found in the JSON content. Not all object and array scopes were closed.'
        : `The JSON content could not be read: ${message}.`,
    );
  }
}

/** Reads a body that must be one JSON object (an entity, or an action's parameters). */
export function parseJsonObject(entitySetName: string, body: string): Record<string, unknown> {
  const value = parseJsonBody(entitySetName, body);
  if (!isJsonObject(value)) throw errors.unexpectedJsonNode(entitySetName, jsonNodeKind(value), 'StartObject');
  return value;
}

/**
 * Reads one entity body for `table`: every property must be declared (the service rejects the
 * rest), values are converted to the column types, lookups come through `nav@odata.bind`, and
 * columns not valid for create/update are ignored as the service ignores them. Nothing is
 * looked up in the store here: bound rows are checked by the write that uses the payload.
 */
export function readEntityPayload(ctx: RequestContext, table: TableDef, body: Record<string, unknown>): EntityPayload {
  const schema = payloadSchema(table);
  const payload: EntityPayload = { id: undefined, values: {}, binds: [] };
  // The type is checked before any property, wherever it stands in the object (the docs put it last).
  if (body['@odata.type'] !== undefined) checkEntityType(ctx, table, body['@odata.type']);
  for (const key in body) {
    const value = body[key];
    const at = key.indexOf('@');
    if (at === -1) readProperty(table, schema.get(key), key, value, payload);
    else if (at > 0) {
      const name = key.slice(0, at);
      readPropertyAnnotation(ctx, table, schema.get(name), name, key.slice(at + 1), value, payload);
    }
    // Other instance annotations (`@odata.etag`…) are ignored, as Microsoft.OData ignores them.
  }
  return payload;
}

function readProperty(table: TableDef, property: PayloadProperty | undefined, key: string, value: unknown, payload: EntityPayload): void {
  if (!property) throw errors.invalidPropertyInPayload(key, table.logicalName);
  switch (property.kind) {
    case 'primaryKey': {
      const id = convertColumnValue(table, property.attribute, value);
      if (typeof id === 'string') payload.id = id;
      return;
    }
    case 'column':
      payload.values[property.attribute.logicalName] = convertColumnValue(table, property.attribute, value);
      return;
    case 'lookup':
      // `"parentaccountid": null` clears a lookup, as the docs allow; anything else here is a deep insert or a mistake.
      if (value === null) payload.binds.push({ attribute: property.attribute, property: key, target: null });
      else if (typeof value === 'object') throw deepInsertNotSupported();
      else throw errors.primitiveForNavigation(table.entitySetName, property.targets[0] ?? property.attribute.logicalName);
      return;
    case 'collection':
      throw deepInsertNotSupported();
    case 'lookupValue':
      throw errors.entityReferenceWrittenDirectly();
    case 'ignored':
      return;
  }
}

function readPropertyAnnotation(
  ctx: RequestContext,
  table: TableDef,
  property: PayloadProperty | undefined,
  name: string,
  annotation: string,
  value: unknown,
  payload: EntityPayload,
): void {
  if (!property) throw errors.undeclaredAnnotatedProperty(table.entitySetName, name);
  if (annotation !== 'odata.bind') return;
  switch (property.kind) {
    case 'lookup': {
      if (value === null) {
        payload.binds.push({ attribute: property.attribute, property: name, target: null });
        return;
      }
      const url = typeof value === 'string' ? value : annotationLiteral(table, value);
      const target = typeof value === 'string' ? parseEntityReference(ctx, value) : undefined;
      if (!target || !property.targets.includes(target.table.logicalName)) throw errors.invalidBindUrl(url, name);
      payload.binds.push({ attribute: property.attribute, property: name, target });
      return;
    }
    case 'collection':
      throw errors.notSupported(
        `The emulator does not bind collection-valued navigation property '${name}' on create or update; associate the rows with $ref instead.`,
      );
    case 'ignored':
      if (property.navigation) return;
      throw errors.undeclaredAnnotatedProperty(table.entitySetName, name);
    case 'primaryKey':
    case 'column':
    case 'lookupValue':
      throw errors.undeclaredAnnotatedProperty(table.entitySetName, name);
  }
}

function checkEntityType(ctx: RequestContext, table: TableDef, value: unknown): void {
  const typeName = typeof value === 'string' ? value.replace(/^#/, '') : annotationLiteral(table, value);
  const prefix = 'Microsoft.Dynamics.CRM.';
  const named = typeName.startsWith(prefix) ? ctx.core.metadata.table(typeName.slice(prefix.length)) : undefined;
  if (!named) throw errors.unresolvedTypeName(table.entitySetName, typeName);
  if (named !== table) throw errors.incompatibleEntityType(table.entitySetName, named.logicalName, table.logicalName);
}

/**
 * A non-string annotation value as its error message quotes it. Annotations are read as primitive
 * values, so an object or array is the JSON reader's error, as in Microsoft.OData, and is never
 * stringified: it may nest deeper than JSON.stringify can recurse.
 */
function annotationLiteral(table: TableDef, value: unknown): string {
  if (typeof value === 'object' && value !== null) throw errors.unexpectedJsonNode(table.entitySetName, jsonNodeKind(value), 'PrimitiveValue');
  return JSON.stringify(value);
}

function deepInsertNotSupported() {
  return errors.notSupported('The emulator does not create related rows in the same request (deep insert); create them first and bind them with @odata.bind.');
}
