import { errors } from '../http/errors.js';
import { splitTopLevel } from '../http/resource-path.js';
import type { AttributeDef, NavigationDef, TableDef } from '../metadata/types.js';
import { compileFilter, type FilterEnvironment, type RowPredicate } from './filter/compile.js';
import { parseOrderBy, type OrderKey } from './orderby.js';
import { attributeByProperty, column, type Column } from './property-names.js';
import { parseSelect, type SelectList } from './select.js';

/** Everything a query asks for, parsed and bound once per request. */
export interface QueryPlan {
  table: TableDef;
  select: SelectList | undefined;
  /** The columns to write, in the service's order: the selected ones, then the primary key. */
  projection: readonly Column[];
  filter: RowPredicate | undefined;
  orderBy: readonly OrderKey[];
  top: number | undefined;
  expand: readonly ExpandItem[];
  count: boolean;
  skipToken: string | undefined;
}

export interface ExpandItem {
  navigation: NavigationDef;
  target: TableDef;
  /** Whether the property is collection-valued (1:N or N:N). */
  collection: boolean;
  plan: QueryPlan;
  /** The nested options as sent, `&`-joined: the query string of `<nav>@odata.nextLink`. */
  optionsText: string;
}

/** Set when the options are those of an $expand item rather than of the URL. */
interface Nesting {
  /** $expand items met so far in the whole query: the service allows 15 (join-tables). */
  expands: { count: number };
  /** A column written even when not selected (a 1:N expansion's lookup to its parent). */
  alwaysInclude: AttributeDef | undefined;
}

const TOP_LEVEL_OPTIONS: ReadonlySet<string> = new Set(['$select', '$filter', '$orderby', '$top', '$expand', '$count', '$skiptoken']);
const NESTED_OPTIONS: ReadonlySet<string> = new Set(['$select', '$filter', '$orderby', '$top', '$expand']);
const MAX_EXPANDS = 15;

/** Standard OData options the Web API refuses, with the clause name its message uses. */
const REFUSED: Readonly<Record<string, string>> = {
  $skip: 'Skip',
  $search: 'Search',
  $format: 'Format',
  $count: 'Count',
  $levels: 'Levels',
};

const MAX_TOP = 5000;

/** Options the service implements and the emulator does not (FetchXML, SQL, saved and user views, aggregation…). */
const NOT_EMULATED: ReadonlySet<string> = new Set(['fetchXml', 'sql', 'savedQuery', 'userQuery', '$apply', '$compute', '$deltatoken']);

const NOT_ON_LOOKUPS =
  'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.';

/**
 * Parses the system query options of a request (or of one $expand item) against a table.
 * Custom options and parameter aliases (`@p1`) pass through; unknown `$` options and the ones the
 * service refuses get its errors.
 */
export function parseQueryPlan(
  options: ReadonlyMap<string, string>,
  table: TableDef,
  environment: FilterEnvironment,
  nesting?: Nesting,
): QueryPlan {
  const alwaysInclude = nesting?.alwaysInclude;
  if (options.size === 0 && !alwaysInclude) return plainPlan(table);
  const supported = nesting ? NESTED_OPTIONS : TOP_LEVEL_OPTIONS;
  for (const name of options.keys()) {
    // Real Dataverse options the emulator does not implement: refused, never ignored (an answer
    // with every row would look valid).
    if (NOT_EMULATED.has(name)) throw errors.notEmulated(`the query option '${name}'`);
    if (!name.startsWith('$') || supported.has(name)) continue;
    const refused = REFUSED[name];
    if (refused) throw errors.queryNotSupported(`${refused} Clause is not supported in CRM`);
    throw errors.badQuery(`The query parameter '${name}' is not supported.`);
  }
  const selectText = options.get('$select');
  const select = selectText === undefined ? undefined : parseSelect(selectText, table);
  const filterText = options.get('$filter');
  const orderByText = options.get('$orderby');
  const expandText = options.get('$expand');
  return {
    table,
    select,
    projection: projection(table, select, alwaysInclude),
    filter: filterText === undefined || filterText.trim() === '' ? undefined : compileFilter(filterText, table, environment),
    orderBy: orderByText === undefined || orderByText.trim() === '' ? [] : parseOrderBy(orderByText, table),
    top: parseTop(options.get('$top')),
    expand: expandText === undefined || expandText.trim() === '' ? [] : parseExpand(expandText, table, environment, nesting?.expands ?? { count: 0 }),
    count: parseCount(options.get('$count')),
    skipToken: options.get('$skiptoken'),
  };
}

const plainPlans = new WeakMap<TableDef, QueryPlan>();

/** The plan of a request without query options (every column, no filter): built once per table. */
function plainPlan(table: TableDef): QueryPlan {
  let plan = plainPlans.get(table);
  if (!plan) {
    plan = { table, select: undefined, projection: projection(table, undefined, undefined), filter: undefined, orderBy: [], top: undefined, expand: [], count: false, skipToken: undefined };
    plainPlans.set(table, plan);
  }
  return plan;
}

const allColumns = new WeakMap<TableDef, readonly Column[]>();

function projection(table: TableDef, select: SelectList | undefined, alwaysInclude: AttributeDef | undefined): readonly Column[] {
  if (!select) {
    // Cached: a GET by id without $select is the hot path and should not rebuild the column list.
    let columns = allColumns.get(table);
    if (!columns) {
      columns = [...table.attributes.values()].map(column);
      allColumns.set(table, columns);
    }
    return columns;
  }
  const attributes = [...select.attributes];
  if (alwaysInclude && !attributes.includes(alwaysInclude)) attributes.push(alwaysInclude);
  const primaryKey = table.attributes.get(table.primaryIdAttribute);
  if (primaryKey && !attributes.includes(primaryKey)) attributes.push(primaryKey);
  return attributes.map(column);
}

function parseTop(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw errors.badQuery(`Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`);
  }
  return Math.min(Number(text.trim()), MAX_TOP);
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw errors.badQuery(`'${text}' is not a valid count option.`);
}

/**
 * `$expand=primarycontactid($select=fullname),Account_Tasks($select=subject;$filter=…;$top=5)`:
 * navigation properties with nested options separated by semicolons (docs/dataverse-web-api.md §3.1).
 */
function parseExpand(text: string, table: TableDef, environment: FilterEnvironment, expands: { count: number }): ExpandItem[] {
  return splitTopLevel(text, ',').map((raw) => {
    // Counted before the nested options are parsed, which also bounds how deep parsing recurses.
    if (++expands.count > MAX_EXPANDS) throw errors.tooManyLinkEntities();
    const item = raw.trim();
    const open = item.indexOf('(');
    const name = (open === -1 ? item : item.slice(0, open)).trim();
    if (open !== -1 && !item.endsWith(')')) throw errors.badQuery(`Syntax error at position ${item.length} in '${text}'.`);
    const navigation = table.navigations.get(name);
    if (!navigation) {
      if (attributeByProperty(table, name)) {
        throw errors.badQuery(
          `Property '${name}' on type 'Microsoft.Dynamics.CRM.${table.logicalName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
        );
      }
      throw errors.propertyNotFound(name, table.logicalName);
    }
    const optionsText = open === -1 ? '' : item.slice(open + 1, -1);
    const options = nestedOptions(optionsText, text);
    const collection = navigation.kind !== 'single';
    if ((options.has('$orderby') || options.has('$top')) && (!collection || options.has('$expand'))) {
      throw errors.queryNotSupported(NOT_ON_LOOKUPS);
    }
    const target = environment.metadata.require(navigation.target);
    // A 1:N expansion always carries the lookup that ties each row to its parent (join-tables docs).
    const referencing = navigation.kind === 'oneToMany' ? target.attributes.get(navigation.referencingAttribute) : undefined;
    return {
      navigation,
      target,
      collection,
      plan: parseQueryPlan(options, target, environment, { expands, alwaysInclude: referencing }),
      optionsText: splitTopLevel(optionsText, ';').map((option) => option.trim()).filter(Boolean).join('&'),
    };
  });
}

function nestedOptions(optionsText: string, wholeText: string): Map<string, string> {
  const options = new Map<string, string>();
  if (optionsText.trim() === '') return options;
  for (const option of splitTopLevel(optionsText, ';')) {
    const trimmed = option.trim();
    const eq = trimmed.indexOf('=');
    if (eq === -1) throw errors.badQuery(`Syntax error at position ${wholeText.indexOf(trimmed) + trimmed.length} in '${wholeText}'.`);
    options.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return options;
}
