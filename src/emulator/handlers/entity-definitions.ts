import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import { parseArguments, splitTopLevel, stringLiteral, type PathSegment } from '../http/resource-path.js';
import type { EmulatorResponse } from '../http/types.js';
import { isGuid, normalizeGuid } from '../ids.js';
import type { TableDef } from '../metadata/types.js';
import { metadataCatalogue, RELATIONSHIP_COLLECTIONS, type AttributeItem, type MetadataCatalogue, type MetadataItem } from '../metadata-api/catalogue.js';
import { attributeMetadataId, entityMetadataId } from '../metadata-api/items.js';
import { optionSetMetadata, optionSetProperties } from '../metadata-api/option-sets.js';
import {
  ATTRIBUTE_METADATA,
  DERIVED_ATTRIBUTE_TYPES,
  ENTITY_KEY_METADATA,
  ENTITY_METADATA,
  MANY_TO_MANY_RELATIONSHIP_METADATA,
  ONE_TO_MANY_RELATIONSHIP_METADATA,
  type MetadataType,
} from '../metadata-api/pseudo-tables.js';
import { compileFilter, type RowPredicate } from '../odata/filter/compile.js';
import { filterEnvironment } from '../odata/request-scope.js';

const CAST_PREFIX = 'Microsoft.Dynamics.CRM.';

/**
 * `EntityDefinitions` as Microsoft's metadata pages query it
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api,
 * …/retrieve-metadata-name-metadataid): tables by LogicalName or MetadataId, their `Attributes`
 * (cast to a derived type: `Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`), one
 * attribute and its `OptionSet`, `Keys`, and the relationship definitions
 * (`OneToManyRelationships`, `ManyToOneRelationships`, `ManyToManyRelationships`); with `$select`, `$filter` and `$expand`
 * (`Attributes`, `Keys`, `OptionSet`, `GlobalOptionSet`). Metadata is readable by anyone signed
 * in: no privilege is checked, as in the service.
 */
export function entityDefinitions(ctx: RequestContext, segments: readonly PathSegment[]): EmulatorResponse {
  if (ctx.method !== 'GET') throw errors.methodNotAllowed(ctx.requestUri);
  const [first, second, third, fourth, fifth] = segments;
  if (!first) throw errors.noHttpResource(ctx.requestUri);
  if (fifth) throw errors.resourceNotFoundForSegment(fifth.raw);
  const catalogue = metadataCatalogue(ctx.core.metadata);
  const metadataRoot = `${ctx.serviceRoot}$metadata#`;

  if (first.args === undefined) {
    if (second) throw errors.resourceNotFoundForSegment(second.raw);
    const query = metadataQuery(ctx, catalogue, ENTITY_METADATA, true);
    const items = ctx.core.metadata.all().map((table) => catalogue.entity(table));
    return collection(`${metadataRoot}EntityDefinitions${query.contextList}`, items, query, false);
  }

  const table = entityByKey(ctx, first.args);
  const entityPath = `EntityDefinitions(${entityMetadataId(table)})`;
  if (!second) {
    const query = metadataQuery(ctx, catalogue, ENTITY_METADATA, false, table);
    return single(`${metadataRoot}EntityDefinitions${query.contextList}/$entity`, catalogue.entity(table), query, false);
  }
  const relationships = RELATIONSHIP_COLLECTIONS.find((name) => name === second.name);
  if (relationships) {
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    const type = relationships === 'ManyToManyRelationships' ? MANY_TO_MANY_RELATIONSHIP_METADATA : ONE_TO_MANY_RELATIONSHIP_METADATA;
    const items = catalogue.relationships(table, relationships);
    if (second.args === undefined) {
      const query = metadataQuery(ctx, catalogue, type, true);
      return collection(`${metadataRoot}${entityPath}/${relationships}${query.contextList}`, items, query, false);
    }
    const item = byMetadataId(ctx, second.args, items, () => errors.rowNotFound(type.name, second.args ?? ''));
    const query = metadataQuery(ctx, catalogue, type, false);
    return single(`${metadataRoot}${entityPath}/${relationships}${query.contextList}/$entity`, item, query, false);
  }
  if (second.name === 'Keys') {
    if (third) throw errors.resourceNotFoundForSegment(third.raw);
    const keys = catalogue.keys(table);
    if (second.args === undefined) {
      const query = metadataQuery(ctx, catalogue, ENTITY_KEY_METADATA, true);
      return collection(`${metadataRoot}${entityPath}/Keys${query.contextList}`, keys, query, false);
    }
    const key = byKey(ctx, second.args, keys, () => errors.rowNotFound('EntityKeyMetadata', second.args ?? ''));
    const query = metadataQuery(ctx, catalogue, ENTITY_KEY_METADATA, false);
    return single(`${metadataRoot}${entityPath}/Keys${query.contextList}/$entity`, key, query, false);
  }
  if (second.name !== 'Attributes') throw errors.resourceNotFoundForSegment(second.raw);
  const attributes = catalogue.attributes(table);

  if (second.args === undefined) {
    if (fourth) throw errors.resourceNotFoundForSegment(fourth.raw);
    const cast = third ? castType(third) : undefined;
    const type = cast ?? ATTRIBUTE_METADATA;
    const query = metadataQuery(ctx, catalogue, type, true, table);
    const items = cast ? attributes.filter((item) => item.type === cast) : attributes;
    const castPath = cast ? `/${CAST_PREFIX}${cast.name}` : '';
    return collection(`${metadataRoot}${entityPath}/Attributes${castPath}${query.contextList}`, items, query, !cast);
  }

  const attribute = byKey(ctx, second.args, attributes, (key) => errors.attributeNotFound(table.logicalName, key));
  if (!third) {
    if (fourth) throw errors.resourceNotFoundForSegment(fourth.raw);
    const query = metadataQuery(ctx, catalogue, ATTRIBUTE_METADATA, false, table);
    return single(`${metadataRoot}${entityPath}/Attributes${query.contextList}/$entity`, attribute, query, true);
  }
  const cast = castType(third);
  // A row of another type is not there under this cast.
  if (attribute.type !== cast) throw errors.resourceNotFoundForSegment(third.raw);
  const castPath = `${entityPath}/Attributes(${attributeMetadataId(table, attribute.attribute)})/${CAST_PREFIX}${cast.name}`;
  if (!fourth) {
    const query = metadataQuery(ctx, catalogue, cast, false, table);
    return single(`${metadataRoot}${entityPath}/Attributes/${CAST_PREFIX}${cast.name}${query.contextList}/$entity`, attribute, query, false);
  }
  if ((fourth.name !== 'OptionSet' && fourth.name !== 'GlobalOptionSet') || fourth.args !== undefined || !cast.navigations.includes(fourth.name)) {
    throw errors.resourceNotFoundForSegment(fourth.raw);
  }
  const optionSet = optionSetMetadata(table, attribute.attribute);
  if (!optionSet) throw errors.notEmulated(`the option set of ${table.logicalName}.${attribute.attribute.logicalName}`);
  for (const name of ctx.query.keys()) {
    if (name.startsWith('$') && name !== '$select') throw errors.badQuery(`The query parameter '${name}' is not supported.`);
  }
  const names = optionSetSelect(ctx.query.get("$select"), attribute.attribute);
  return jsonResponse(200, {
    '@odata.context': `${metadataRoot}${castPath}/${fourth.name}${names.length > 0 ? `(${names.join(',')})` : ''}/$entity`,
    ...projectOptionSet(optionSet, names),
  });
}

/** `Microsoft.Dynamics.CRM.PicklistAttributeMetadata`; the base type is no cast at all. Docs: EnumAttributeMetadata cannot be cast to. */
function castType(segment: PathSegment): MetadataType | undefined {
  if (segment.args !== undefined || !segment.name.startsWith(CAST_PREFIX)) throw errors.resourceNotFoundForSegment(segment.raw);
  const name = segment.name.slice(CAST_PREFIX.length);
  if (name === 'AttributeMetadata') return undefined;
  const type = DERIVED_ATTRIBUTE_TYPES.get(name);
  if (!type) throw errors.resourceNotFoundForSegment(segment.raw);
  return type;
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

function byKey<T extends MetadataItem>(ctx: RequestContext, args: string, items: readonly T[], notFound: (key: string) => Error): T {
  const key = readKey(ctx, args);
  const found = items.find((item) =>
    key.logicalName !== undefined ? item.json.LogicalName === key.logicalName : item.json.MetadataId === key.metadataId,
  );
  if (!found) throw notFound(key.logicalName ?? key.metadataId);
  return found;
}

/** A relationship is addressed by its MetadataId only (it has no LogicalName). */
function byMetadataId(ctx: RequestContext, args: string, items: readonly MetadataItem[], notFound: () => Error): MetadataItem {
  const key = readKey(ctx, args);
  const found = key.metadataId === undefined ? undefined : items.find((item) => item.json.MetadataId === key.metadataId);
  if (!found) throw notFound();
  return found;
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

interface Expansion {
  name: string;
  /** The nested `$select` names ('' when none), for @odata.context and projection. */
  select: readonly string[];
  filter: RowPredicate | undefined;
}

interface MetadataQuery {
  /** `(LogicalName,OptionSet(Options))` for @odata.context, or '' with neither $select nor $expand. */
  contextList: string;
  filter: RowPredicate | undefined;
  select: readonly string[];
  expand: readonly Expansion[];
  /** The table the items belong to (for expansions of attributes' option sets). */
  table: TableDef | undefined;
  catalogue: MetadataCatalogue;
}

const OPTIONS = new Set(['$select', '$filter', '$expand']);

/**
 * `$select`, `$filter` (collections only) and `$expand` over definitions; the service takes no
 * other option there, and its docs say there is no paging. Selected objects keep the MetadataId,
 * as the service writes them.
 */
function metadataQuery(ctx: RequestContext, catalogue: MetadataCatalogue, type: MetadataType, isCollection: boolean, table?: TableDef): MetadataQuery {
  for (const name of ctx.query.keys()) {
    if (name.startsWith('$') && !OPTIONS.has(name)) throw errors.badQuery(`The query parameter '${name}' is not supported.`);
  }
  const filterText = ctx.query.get('$filter');
  if (filterText !== undefined && !isCollection) {
    throw errors.badQuery("The query option '$filter' applies to collections of definitions; this request names a single one.");
  }
  const expandText = ctx.query.get('$expand');
  const expand = expandText === undefined || expandText.trim() === '' ? [] : parseExpand(ctx, catalogue, type, expandText);
  const select = selectList(ctx.query.get('$select'), type, expand);
  const expandList = expand.map((item) => (item.select.length > 0 ? `${item.name}(${item.select.join(',')})` : item.name));
  const list = [...select, ...expandList];
  return {
    contextList: list.length > 0 ? `(${list.join(',')})` : '',
    filter: compileMetadataFilter(ctx, catalogue, type, filterText),
    select,
    expand,
    table,
    catalogue,
  };
}

function compileMetadataFilter(ctx: RequestContext, catalogue: MetadataCatalogue, type: MetadataType, text: string | undefined): RowPredicate | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return compileFilter(text, type.table, { ...filterEnvironment(ctx), metadata: catalogue.registry, store: catalogue.store });
}

function selectList(text: string | undefined, type: MetadataType, expand: readonly Expansion[]): string[] {
  const names = text === undefined ? [] : text.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== '*');
  for (const name of names) {
    if (type.navigations.includes(name)) {
      if (expand.some((item) => item.name === name)) continue;
      throw errors.badQuery(`'${name}' is a navigation property of '${CAST_PREFIX}${type.name}': expand it with $expand=${name}.`);
    }
    if (!type.table.attributes.has(name) && !type.complex.includes(name)) throw errors.propertyNotFound(name, type.name);
  }
  return [...new Set(names.filter((name) => !type.navigations.includes(name)))];
}

/** `Attributes($select=LogicalName;$filter=…)`, `Keys($select=KeyAttributes)`, `OptionSet($select=Options)`. */
function parseExpand(ctx: RequestContext, catalogue: MetadataCatalogue, type: MetadataType, text: string): Expansion[] {
  return splitTopLevel(text, ',').map((raw) => {
    const item = raw.trim();
    const open = item.indexOf('(');
    const name = (open === -1 ? item : item.slice(0, open)).trim();
    if (open !== -1 && !item.endsWith(')')) throw errors.badQuery(`Syntax error at position ${item.length} in '${text}'.`);
    if (!type.navigations.includes(name)) {
      if (type.table.attributes.has(name) || type.complex.includes(name)) {
        throw errors.badQuery(
          `Property '${name}' on type '${CAST_PREFIX}${type.name}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
        );
      }
      throw errors.propertyNotFound(name, type.name);
    }
    if (name.endsWith('Relationships')) throw errors.notEmulated(`$expand of the relationship definitions ${name}`);
    const options = new Map<string, string>();
    for (const option of open === -1 ? [] : splitTopLevel(item.slice(open + 1, -1), ';')) {
      const trimmed = option.trim();
      if (trimmed === '') continue;
      const eq = trimmed.indexOf('=');
      if (eq === -1) throw errors.badQuery(`Syntax error in '${text}'.`);
      options.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
    }
    const nestedType = name === 'Attributes' ? ATTRIBUTE_METADATA : name === 'Keys' ? ENTITY_KEY_METADATA : undefined;
    const allowed = nestedType ? ['$select', '$filter'] : ['$select'];
    for (const option of options.keys()) {
      if (!allowed.includes(option)) throw errors.badQuery(`The query option '${option}' is not supported inside $expand=${name}.`);
    }
    const selectText = options.get('$select');
    if (!nestedType) {
      // OptionSet / GlobalOptionSet: OptionSetMetadata's properties, checked when projected (a Boolean's differs).
      const select = selectText === undefined ? [] : selectText.split(',').map((part) => part.trim()).filter(Boolean);
      return { name, select, filter: undefined };
    }
    return {
      name,
      select: selectList(selectText, nestedType, []),
      filter: compileMetadataFilter(ctx, catalogue, nestedType, options.get('$filter')),
    };
  });
}

function collection(context: string, items: readonly MetadataItem[], query: MetadataQuery, withType: boolean): EmulatorResponse {
  const filter = query.filter;
  const value = items.filter((item) => !filter || filter(item.row)).map((item) => project(item, query, withType));
  return jsonResponse(200, { '@odata.context': context, value });
}

function single(context: string, item: MetadataItem, query: MetadataQuery, withType: boolean): EmulatorResponse {
  return jsonResponse(200, { '@odata.context': context, ...project(item, query, withType) });
}

/**
 * One definition with the selected properties (all without $select) and its expansions.
 * `@odata.type` is written where the item's type is not the one the URL names (an attribute in
 * the uncast `Attributes` collection), as OData's minimal metadata does.
 */
function project(item: MetadataItem, query: Pick<MetadataQuery, 'select' | 'expand' | 'table' | 'catalogue'>, withType: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (withType) out['@odata.type'] = `#${CAST_PREFIX}${item.type.name}`;
  if (query.select.length === 0) Object.assign(out, item.json);
  else {
    out.MetadataId = item.json.MetadataId;
    for (const name of query.select) if (item.json[name] !== undefined) out[name] = item.json[name];
  }
  for (const expansion of query.expand) out[expansion.name] = expand(item, expansion, query);
  return out;
}

function expand(item: MetadataItem, expansion: Expansion, query: Pick<MetadataQuery, 'table' | 'catalogue'>): unknown {
  const nested = { select: expansion.select, expand: [], table: query.table, catalogue: query.catalogue };
  if (expansion.name === 'Attributes' || expansion.name === 'Keys') {
    const table = item.table;
    const children = expansion.name === 'Attributes' ? query.catalogue.attributes(table) : query.catalogue.keys(table);
    return children.filter((child) => !expansion.filter || expansion.filter(child.row)).map((child) => project(child, nested, expansion.name === 'Attributes'));
  }
  const attribute = (item as AttributeItem).attribute;
  if (!attribute) return null;
  const optionSet = optionSetMetadata(item.table, attribute);
  // The docs: both OptionSet and GlobalOptionSet give the column's options, global or local.
  return optionSet ? projectOptionSet(optionSet, optionSetSelect(expansion.select.join(','), attribute)) : null;
}

function optionSetSelect(text: string | undefined, attribute: AttributeItem['attribute']): string[] {
  const names = text === undefined ? [] : text.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== '*');
  const known = optionSetProperties(attribute);
  const type = attribute.type === 'Boolean' ? 'BooleanOptionSetMetadata' : 'OptionSetMetadata';
  for (const name of names) if (!known.includes(name)) throw errors.propertyNotFound(name, type);
  return names;
}

function projectOptionSet(optionSet: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  if (names.length === 0) return optionSet;
  const out: Record<string, unknown> = { MetadataId: optionSet.MetadataId };
  for (const name of names) out[name] = optionSet[name];
  return out;
}
