import { fetchErrors } from './fetch-errors.js';
import {
  AGGREGATES,
  type AggregateFunction,
  type AttributeNode,
  type ConditionNode,
  type EntityNode,
  type FetchQuery,
  type FilterNode,
  type LinkNode,
  type OrderNode,
} from './query.js';
import { readXml, type XmlElement } from './xml.js';

/**
 * What each element may carry. `known` attributes are read; `ignored` ones are documented hints
 * that change nothing in the answer (SQL hints, legacy markers, display names of the designer);
 * `refused` ones change the answer in ways the emulator does not reproduce, so they get the 501.
 * Anything else is not FetchXML and gets the service's "Invalid XML".
 */
interface ElementRules {
  known: readonly string[];
  ignored?: readonly string[];
  refused?: readonly string[];
  children: readonly string[];
}

const RULES: Readonly<Record<string, ElementRules>> = {
  fetch: {
    known: ['top', 'count', 'page', 'paging-cookie', 'distinct', 'aggregate', 'aggregatelimit', 'returntotalrecordcount', 'useraworderby'],
    ignored: ['version', 'output-format', 'mapping', 'no-lock', 'latematerialize', 'options', 'min-active-row-version'],
    refused: ['datasource'],
    children: ['entity'],
  },
  entity: { known: ['name'], ignored: ['enableprefiltering', 'prefilterparametername'], children: ['attribute', 'all-attributes', 'order', 'filter', 'link-entity'] },
  'link-entity': {
    known: ['name', 'from', 'to', 'alias', 'link-type'],
    ignored: ['intersect', 'visible', 'enableprefiltering', 'prefilterparametername'],
    children: ['attribute', 'all-attributes', 'order', 'filter', 'link-entity'],
  },
  attribute: {
    known: ['name', 'alias', 'aggregate', 'groupby', 'distinct'],
    ignored: ['addedby', 'build'],
    refused: ['dategrouping', 'rowaggregate', 'usertimezone'],
    children: [],
  },
  'all-attributes': { known: [], children: [] },
  order: { known: ['attribute', 'alias', 'descending', 'entityname'], children: [] },
  filter: { known: ['type'], ignored: ['hint'], refused: ['isquickfindfields', 'overridequickfindrecordlimitenabled', 'overridequickfindrecordlimitdisabled'], children: ['condition', 'filter', 'link-entity'] },
  condition: {
    known: ['attribute', 'operator', 'value', 'entityname'],
    ignored: ['uiname', 'uitype', 'uihidden'],
    refused: ['valueof', 'column', 'alias'],
    children: ['value'],
  },
  value: { known: [], ignored: ['uiname', 'uitype'], children: [] },
};

/** Parses FetchXML text into a query: well-formed, and only elements and attributes FetchXML has. */
export function readFetch(text: string): FetchQuery {
  const root = readXml(text);
  if (root.name !== 'fetch') throw fetchErrors.schema(`The root element must be 'fetch', not '${root.name}'.`);
  check(root);
  const entities = root.children.filter((child) => child.name === 'entity');
  const [entityElement, extra] = entities;
  if (!entityElement || extra) throw fetchErrors.schema("The 'fetch' element must contain exactly one 'entity' element.");
  return {
    entity: readEntity(entityElement),
    top: integer(root, 'top'),
    count: integer(root, 'count'),
    page: integer(root, 'page'),
    pagingCookie: root.attributes.get('paging-cookie'),
    distinct: flag(root, 'distinct'),
    aggregate: flag(root, 'aggregate'),
    aggregateLimit: integer(root, 'aggregatelimit'),
    returnTotalRecordCount: flag(root, 'returntotalrecordcount'),
    rawOrderBy: flag(root, 'useraworderby'),
  };
}

/** Checks an element's attributes and children against the rules, recursively. */
function check(element: XmlElement): void {
  const rules = RULES[element.name];
  if (!rules) throw fetchErrors.schema(`The element '${element.name}' is not a FetchXML element.`);
  for (const name of element.attributes.keys()) {
    if (rules.known.includes(name) || rules.ignored?.includes(name)) continue;
    if (rules.refused?.includes(name)) throw fetchErrors.notEmulated(`the '${name}' attribute of '${element.name}'`);
    throw fetchErrors.schema(`The '${name}' attribute is not declared on '${element.name}'.`);
  }
  for (const child of element.children) {
    if (!rules.children.includes(child.name)) {
      throw fetchErrors.schema(`The element '${element.name}' has invalid child element '${child.name}'.`);
    }
    check(child);
  }
}

function readEntity(element: XmlElement): EntityNode {
  return {
    name: required(element, 'name'),
    allAttributes: element.children.some((child) => child.name === 'all-attributes'),
    attributes: element.children.filter((child) => child.name === 'attribute').map(readAttribute),
    orders: element.children.filter((child) => child.name === 'order').map(readOrder),
    filters: element.children.filter((child) => child.name === 'filter').map(readFilter),
    links: element.children.filter((child) => child.name === 'link-entity').map(readLink),
  };
}

function readLink(element: XmlElement): LinkNode {
  const linkType = element.attributes.get('link-type') ?? 'inner';
  if (linkType !== 'inner' && linkType !== 'outer') {
    // The filter link types (any, not any, all, not all), exists, in and matchfirstrowusingcrossapply.
    if (['any', 'not any', 'all', 'not all', 'exists', 'in', 'matchfirstrowusingcrossapply'].includes(linkType)) {
      throw fetchErrors.notEmulated(`link-type '${linkType}'`);
    }
    throw fetchErrors.schema(`The value '${linkType}' is not a valid link-type.`);
  }
  return {
    ...readEntity(element),
    from: element.attributes.get('from'),
    to: element.attributes.get('to'),
    alias: element.attributes.get('alias'),
    linkType,
  };
}

function readAttribute(element: XmlElement): AttributeNode {
  const aggregate = element.attributes.get('aggregate');
  if (aggregate !== undefined && !(AGGREGATES as readonly string[]).includes(aggregate)) {
    throw fetchErrors.schema(`The value '${aggregate}' is not a valid aggregate.`);
  }
  return {
    name: required(element, 'name'),
    alias: element.attributes.get('alias'),
    aggregate: aggregate as AggregateFunction | undefined,
    groupBy: flag(element, 'groupby'),
    distinct: flag(element, 'distinct'),
  };
}

function readOrder(element: XmlElement): OrderNode {
  const attribute = element.attributes.get('attribute');
  const alias = element.attributes.get('alias');
  if (attribute === undefined && alias === undefined) throw fetchErrors.schema("The 'order' element needs an 'attribute' or an 'alias'.");
  return { attribute, alias, descending: flag(element, 'descending'), entityName: element.attributes.get('entityname') };
}

function readFilter(element: XmlElement): FilterNode {
  const type = element.attributes.get('type') ?? 'and';
  if (type !== 'and' && type !== 'or') throw fetchErrors.schema(`The value '${type}' is not a valid filter type.`);
  const items: FilterNode['items'] = [];
  for (const child of element.children) {
    if (child.name === 'condition') items.push(readCondition(child));
    else if (child.name === 'filter') items.push(readFilter(child));
    // A link-entity inside a filter is one of the filter link types (any, not any, all, not all).
    else throw fetchErrors.notEmulated('link-entity inside a filter');
  }
  return { kind: 'filter', type, items };
}

function readCondition(element: XmlElement): ConditionNode {
  return {
    kind: 'condition',
    attribute: required(element, 'attribute'),
    operator: required(element, 'operator'),
    value: element.attributes.get('value'),
    values: element.children.map((child) => child.text),
    entityName: element.attributes.get('entityname'),
  };
}

function required(element: XmlElement, name: string): string {
  const value = element.attributes.get(name);
  if (value === undefined || value === '') throw fetchErrors.schema(`The required attribute '${name}' is missing on '${element.name}'.`);
  return value;
}

function flag(element: XmlElement, name: string): boolean {
  const value = element.attributes.get(name);
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw fetchErrors.schema(`The '${name}' attribute of '${element.name}' must be true or false, not '${value}'.`);
}

function integer(element: XmlElement, name: string): number | undefined {
  const value = element.attributes.get(name);
  if (value === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(value)) throw fetchErrors.schema(`The '${name}' attribute of '${element.name}' must be a whole number, not '${value}'.`);
  return Number(value);
}
