import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import { parseArguments, stringLiteral, type PathSegment } from '../http/resource-path.js';
import type { EmulatorResponse } from '../http/types.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import {
  ATTRIBUTE_COMPLEX_PROPERTIES,
  ATTRIBUTE_METADATA,
  attributeMetadata,
  attributeMetadataId,
  attributeMetadataRow,
  ENTITY_COMPLEX_PROPERTIES,
  ENTITY_METADATA,
  entityMetadata,
  entityMetadataId,
  entityMetadataRow,
} from '../odata/entity-metadata.js';
import { compileFilter, type RowPredicate } from '../odata/filter/compile.js';
import { filterEnvironment } from '../odata/request-scope.js';
import type { Row } from '../store/types.js';

/**
 * `EntityDefinitions`, `EntityDefinitions(LogicalName='account')` (or by MetadataId), and their
 * `Attributes`, with `$select` and `$filter`. Metadata is readable by anyone signed in: no
 * privilege is checked, as in the service.
 */
export function entityDefinitions(ctx: RequestContext, segments: readonly PathSegment[]): EmulatorResponse {
  if (ctx.method !== 'GET') throw errors.methodNotAllowed(ctx.requestUri);
  const [first, second, third] = segments;
  if (!first) throw errors.noHttpResource(ctx.requestUri);
  if (third) throw errors.resourceNotFoundForSegment(third.raw);
  const root = `${ctx.serviceRoot}$metadata#EntityDefinitions`;

  if (first.args === undefined) {
    if (second) throw errors.resourceNotFoundForSegment(second.raw);
    const query = metadataQuery(ctx, ENTITY_METADATA, ENTITY_COMPLEX_PROPERTIES);
    const tables = ctx.core.metadata.all().filter((table) => query.matches(entityMetadataRow(table)));
    return jsonResponse(200, { '@odata.context': `${root}${query.contextList}`, value: tables.map((table) => query.project(entityMetadata(table))) });
  }

  const table = entityByKey(ctx, first.args);
  if (!second) {
    const query = metadataQuery(ctx, ENTITY_METADATA, ENTITY_COMPLEX_PROPERTIES);
    return jsonResponse(200, { '@odata.context': `${root}${query.contextList}/$entity`, ...query.project(entityMetadata(table)) });
  }
  if (second.name !== 'Attributes') throw errors.resourceNotFoundForSegment(second.raw);
  const attributesRoot = `${root}(${entityMetadataId(table)})/Attributes`;
  const query = metadataQuery(ctx, ATTRIBUTE_METADATA, ATTRIBUTE_COMPLEX_PROPERTIES);
  if (second.args === undefined) {
    const attributes = [...table.attributes.values()].filter((attribute) => query.matches(attributeMetadataRow(table, attribute)));
    return jsonResponse(200, {
      '@odata.context': `${attributesRoot}${query.contextList}`,
      value: attributes.map((attribute) => query.project(attributeMetadata(table, attribute))),
    });
  }
  const attribute = attributeByKey(ctx, table, second.args);
  return jsonResponse(200, { '@odata.context': `${attributesRoot}${query.contextList}/$entity`, ...query.project(attributeMetadata(table, attribute)) });
}

/** `LogicalName='account'`, a bare MetadataId, or `MetadataId=<guid>`. */
function entityByKey(ctx: RequestContext, args: string): TableDef {
  const key = readKey(ctx, args);
  if (key.logicalName !== undefined) {
    const table = ctx.core.metadata.table(key.logicalName);
    if (!table) throw errors.entityMetadataNotFound(key.logicalName);
    return table;
  }
  const table = ctx.core.metadata.all().find((candidate) => entityMetadataId(candidate) === key.metadataId);
  if (!table) throw errors.rowNotFound('EntityMetadata', key.metadataId);
  return table;
}

function attributeByKey(ctx: RequestContext, table: TableDef, args: string): AttributeDef {
  const key = readKey(ctx, args);
  const attribute =
    key.logicalName !== undefined
      ? table.attributes.get(key.logicalName)
      : [...table.attributes.values()].find((candidate) => attributeMetadataId(table, candidate) === key.metadataId);
  if (!attribute) throw errors.attributeNotFound(table.logicalName, key.logicalName ?? key.metadataId);
  return attribute;
}

type MetadataKey = { logicalName: string; metadataId?: undefined } | { logicalName?: undefined; metadataId: string };

function readKey(ctx: RequestContext, args: string): MetadataKey {
  const parts = parseArguments(args, ctx.query);
  const logicalName = parts.get('LogicalName');
  if (logicalName !== undefined && parts.size === 1) {
    const name = stringLiteral(logicalName);
    if (name !== undefined) return { logicalName: name };
  }
  const id = parts.get('MetadataId') ?? parts.get('');
  if (id !== undefined && parts.size === 1 && isGuid(id)) return { metadataId: normalizeGuid(id) };
  throw errors.badQuery(`Bad Request - Error in query syntax. The key '${args}' is not a LogicalName or a MetadataId.`);
}

interface MetadataQuery {
  /** `(LogicalName,EntitySetName)` for @odata.context, or '' without $select. */
  contextList: string;
  matches(row: Row): boolean;
  project(metadata: Record<string, unknown>): Record<string, unknown>;
}

/**
 * `$select` and `$filter` over metadata (the service supports no other option there). Selected
 * objects keep `@odata.type` and the MetadataId key, as the service writes them.
 */
function metadataQuery(ctx: RequestContext, table: TableDef, complexProperties: readonly string[]): MetadataQuery {
  for (const name of ctx.query.keys()) {
    if (name.startsWith('$') && name !== '$select' && name !== '$filter') throw errors.badQuery(`The query parameter '${name}' is not supported.`);
  }
  const selectText = ctx.query.get('$select');
  const names = selectText === undefined ? [] : selectText.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!table.attributes.has(name) && !complexProperties.includes(name)) throw errors.propertyNotFound(name, table.logicalName);
  }
  const filterText = ctx.query.get('$filter');
  const filter: RowPredicate | undefined =
    filterText === undefined || filterText.trim() === '' ? undefined : compileFilter(filterText, table, filterEnvironment(ctx));
  return {
    contextList: names.length > 0 ? `(${names.join(',')})` : '',
    matches: (row) => !filter || filter(row),
    project: (metadata) => {
      if (names.length === 0) return metadata;
      const projected: Record<string, unknown> = {};
      if (metadata['@odata.type'] !== undefined) projected['@odata.type'] = metadata['@odata.type'];
      for (const name of names) if (metadata[name] !== undefined) projected[name] = metadata[name];
      projected.MetadataId = metadata.MetadataId;
      return projected;
    },
  };
}
