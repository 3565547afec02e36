import { errors } from '../http/errors.js';
import { isGuid } from '../ids.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { likeMatcher } from '../odata/filter/like.js';
import { MAX_NESTING, nestingTooDeep } from '../odata/nesting-limit.js';
import { comparableValue, compareComparable, type Comparable } from '../odata/values.js';
import type { Row } from '../store/types.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';

/**
 * A QueryExpression as the Web API carries it in an action's body (BulkDelete's QuerySet):
 * `{"EntityName":"contact","Criteria":{"FilterOperator":"And","Conditions":[{"AttributeName":
 * "firstname","Operator":"Equal","Values":[{"Value":"Bob","Type":"System.String"}]}]}}`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk), bound to the
 * table it names. What it selects is a predicate over stored rows; the parts that only shape
 * an answer (columns, order, distinct) do not change which rows a bulk delete removes.
 */
export interface BoundQuery {
  table: TableDef;
  /** Whether a row matches the Criteria, evaluated for the user the job runs as. */
  matches(row: Row, who: QueryUser): boolean;
}

/** Who the EqualUserId / EqualBusinessId operators compare with. */
export interface QueryUser {
  userId: string;
  businessUnitId: string | undefined;
}

type Test = (row: Row, who: QueryUser) => boolean;

const QUERY_TYPE = 'Microsoft.Dynamics.CRM.QueryExpression';
/** Properties that do not change the set of rows selected. */
const SHAPING = new Set(['ColumnSet', 'Orders', 'Distinct', 'NoLock']);
/** Properties that would, and that the emulator does not carry out when they are set. */
const NOT_EMULATED = new Set(['LinkEntities', 'TopCount', 'PageInfo', 'DataSource', 'QueryHints', 'ForceSeek', 'SubQueryExpression']);

type Operator = (attribute: AttributeDef, values: Comparable[], name: string) => (value: Comparable, who: QueryUser) => boolean;

const compare = (test: (order: number) => boolean): Operator => (attribute, values, name) => {
  const wanted = exactly(1, values, name, attribute)[0] ?? null;
  return (value) => value !== null && wanted !== null && test(compareComparable(value, wanted));
};

const pattern = (kind: 'like' | 'startswith' | 'endswith', negated: boolean): Operator => (attribute, values, name) => {
  const [wanted] = exactly(1, values, name, attribute);
  if (typeof wanted !== 'string') throw errors.invalidArgument(`The condition operator '${name}' on '${attribute.logicalName}' needs a string value.`);
  const raw = kind === 'like' ? wanted : kind === 'startswith' ? `${wanted}%` : `%${wanted}`;
  const matcher = likeMatcher('like', raw);
  return (value) => {
    if (typeof value !== 'string') return false;
    const found = matcher ? matcher.test(value) : value === raw;
    return negated ? !found : found;
  };
};

/** ConditionOperator members by name (the enum's JSON form), as SQL evaluates them: a null column matches only Null. */
const OPERATORS: ReadonlyMap<string, Operator> = new Map<string, Operator>([
  ['Equal', compare((order) => order === 0)],
  ['NotEqual', compare((order) => order !== 0)],
  ['GreaterThan', compare((order) => order > 0)],
  ['GreaterEqual', compare((order) => order >= 0)],
  ['LessThan', compare((order) => order < 0)],
  ['LessEqual', compare((order) => order <= 0)],
  ['Like', pattern('like', false)],
  ['NotLike', pattern('like', true)],
  ['BeginsWith', pattern('startswith', false)],
  ['DoesNotBeginWith', pattern('startswith', true)],
  ['EndsWith', pattern('endswith', false)],
  ['DoesNotEndWith', pattern('endswith', true)],
  ['In', (attribute, values, name) => inList(attribute, values, name, false)],
  ['NotIn', (attribute, values, name) => inList(attribute, values, name, true)],
  ['Between', (attribute, values, name) => range(attribute, values, name, false)],
  ['NotBetween', (attribute, values, name) => range(attribute, values, name, true)],
  ['Null', (attribute, values, name) => (exactly(0, values, name, attribute), (value) => value === null)],
  ['NotNull', (attribute, values, name) => (exactly(0, values, name, attribute), (value) => value !== null)],
  ['EqualUserId', (attribute, values, name) => (exactly(0, values, name, attribute), (value, who) => value === who.userId.toLowerCase())],
  ['NotEqualUserId', (attribute, values, name) => (exactly(0, values, name, attribute), (value, who) => value !== null && value !== who.userId.toLowerCase())],
  ['EqualBusinessId', (attribute, values, name) => (exactly(0, values, name, attribute), (value, who) => value !== null && value === who.businessUnitId?.toLowerCase())],
  [
    'NotEqualBusinessId',
    (attribute, values, name) => (exactly(0, values, name, attribute), (value, who) => value !== null && value !== who.businessUnitId?.toLowerCase()),
  ],
]);

function inList(attribute: AttributeDef, values: Comparable[], name: string, negated: boolean) {
  if (values.length === 0) throw errors.invalidArgument(`The condition operator '${name}' on '${attribute.logicalName}' needs at least one value.`);
  return (value: Comparable) => value !== null && values.some((wanted) => wanted !== null && compareComparable(value, wanted) === 0) !== negated;
}

function range(attribute: AttributeDef, values: Comparable[], name: string, negated: boolean) {
  exactly(2, values, name, attribute);
  const low = values[0] ?? null;
  const high = values[1] ?? null;
  return (value: Comparable) => {
    if (value === null || low === null || high === null) return false;
    const inside = compareComparable(value, low) >= 0 && compareComparable(value, high) <= 0;
    return inside !== negated;
  };
}

function exactly(count: number, values: Comparable[], name: string, attribute: AttributeDef): Comparable[] {
  if (values.length !== count) {
    throw errors.invalidArgument(
      `The condition operator '${name}' on '${attribute.logicalName}' takes ${count === 0 ? 'no values' : count === 1 ? 'one value' : `${count} values`}, not ${values.length}.`,
    );
  }
  return values;
}

/** Binds one QueryExpression of a request body; every error is synchronous, before any job exists. */
export function bindQueryExpression(metadata: MetadataRegistry, raw: unknown, index: number): BoundQuery {
  const query = object(raw, QUERY_TYPE);
  const type = query['@odata.type'];
  if (type !== undefined && (typeof type !== 'string' || type.replace(/^#/, '') !== QUERY_TYPE)) {
    throw errors.invalidArgument(`QuerySet item ${index} has the type ${typeof type === 'string' ? `'${type}'` : jsonNodeKind(type)}; BulkDelete takes ${QUERY_TYPE} queries.`);
  }
  for (const [name, value] of Object.entries(query)) {
    if (name.startsWith('@') || name === 'EntityName' || name === 'Criteria' || SHAPING.has(name)) continue;
    if (NOT_EMULATED.has(name)) {
      if (isUnset(value)) continue;
      throw errors.notEmulated(`the QueryExpression property '${name}' in BulkDelete's QuerySet`);
    }
    throw unknownProperty(name, QUERY_TYPE);
  }
  const entityName = query.EntityName;
  if (typeof entityName !== 'string' || entityName === '') throw errors.invalidArgument(`QuerySet item ${index} has no EntityName.`);
  const table = metadata.table(entityName);
  if (!table) throw errors.queryEntityNotFound(entityName);
  const test = query.Criteria === undefined || query.Criteria === null ? () => true : bindFilter(table, query.Criteria, 1);
  return { table, matches: test };
}

/** Empty values of the properties the emulator does not carry out: what a serializer writes for "none". */
function isUnset(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  // PageInfo with no page asked for.
  return isJsonObject(value) && Object.values(value).every((part) => part === null || part === 0 || part === false || part === '');
}

function bindFilter(table: TableDef, raw: unknown, depth: number): Test {
  if (depth > MAX_NESTING) throw nestingTooDeep();
  const type = 'Microsoft.Dynamics.CRM.FilterExpression';
  const filter = object(raw, type);
  for (const name of Object.keys(filter)) {
    if (!name.startsWith('@') && !['FilterOperator', 'Conditions', 'Filters', 'IsQuickFindFilter', 'FilterHint'].includes(name)) {
      throw unknownProperty(name, type);
    }
  }
  if (filter.IsQuickFindFilter === true) throw errors.notEmulated("a quick find filter (IsQuickFindFilter) in BulkDelete's QuerySet");
  const operator = filter.FilterOperator ?? 'And';
  if (operator !== 'And' && operator !== 'Or') throw errors.invalidArgument(`FilterOperator must be 'And' or 'Or', not ${JSON.stringify(typeof operator === 'object' ? jsonNodeKind(operator) : operator)}.`);
  const tests: Test[] = [
    ...list(filter.Conditions, 'Conditions').map((condition) => bindCondition(table, condition)),
    ...list(filter.Filters, 'Filters').map((child) => bindFilter(table, child, depth + 1)),
  ];
  if (operator === 'And') return (row, who) => tests.every((test) => test(row, who));
  // An Or filter with nothing in it selects nothing, as SQL's empty OR would be false; And selects all.
  return (row, who) => tests.some((test) => test(row, who));
}

function bindCondition(table: TableDef, raw: unknown): Test {
  const type = 'Microsoft.Dynamics.CRM.ConditionExpression';
  const condition = object(raw, type);
  for (const name of Object.keys(condition)) {
    if (!name.startsWith('@') && !['AttributeName', 'Operator', 'Values', 'EntityName', 'CompareColumns'].includes(name)) throw unknownProperty(name, type);
  }
  if (!isUnset(condition.EntityName)) throw errors.notEmulated("a condition on a linked table (ConditionExpression EntityName) in BulkDelete's QuerySet");
  if (condition.CompareColumns === true) throw errors.notEmulated("a column comparison (CompareColumns) in BulkDelete's QuerySet");
  const name = condition.AttributeName;
  if (typeof name !== 'string' || name === '') throw errors.invalidArgument('A condition in the QuerySet has no AttributeName.');
  const attribute = table.attributes.get(name);
  if (!attribute) throw errors.attributeNotFound(table.logicalName, name);
  const operatorName = condition.Operator;
  if (typeof operatorName !== 'string') throw errors.invalidArgument(`The condition on '${name}' has no Operator (a ConditionOperator member name such as 'Equal').`);
  const operator = OPERATORS.get(operatorName);
  if (!operator) throw errors.notEmulated(`the condition operator '${operatorName}' in BulkDelete's QuerySet`);
  const values = list(condition.Values, 'Values').map((value) => conditionValue(attribute, value));
  const test = operator(attribute, values, operatorName);
  const column = attribute.logicalName;
  return (row, who) => test(comparableValue(attribute, row[column]), who);
}

/** A typed value (`{"Value":"Bob","Type":"System.String"}`, or the bare value) in the column's comparable form. */
function conditionValue(attribute: AttributeDef, raw: unknown): Comparable {
  const value = isJsonObject(raw) ? raw.Value : raw;
  const wrong = () =>
    errors.invalidArgument(
      `The value ${typeof value === 'object' && value !== null ? `(a JSON ${jsonNodeKind(value)})` : JSON.stringify(value)} is not valid for '${attribute.logicalName}' (${attribute.type}).`,
    );
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') throw wrong();
  switch (attribute.type) {
    case 'String':
    case 'Memo':
    case 'EntityName':
      return String(value).toLowerCase();
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status':
    case 'BigInt':
    case 'Decimal':
    case 'Money':
    case 'Double': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) throw wrong();
      return number;
    }
    case 'Boolean':
      if (value === true || value === 'true' || value === 'True' || value === 1 || value === '1') return true;
      if (value === false || value === 'false' || value === 'False' || value === 0 || value === '0') return false;
      throw wrong();
    case 'DateTime': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time)) throw wrong();
      return time;
    }
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      if (typeof value !== 'string' || !isGuid(value)) throw wrong();
      return value.toLowerCase();
  }
}

function object(raw: unknown, type: string): Record<string, unknown> {
  if (!isJsonObject(raw)) throw errors.invalidArgument(`Expected a ${type} object, found a JSON ${jsonNodeKind(raw)}.`);
  return raw;
}

function list(raw: unknown, name: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw errors.invalidArgument(`'${name}' must be a JSON array.`);
  return raw;
}

/** Microsoft.OData's reader's words for a property the complex type does not declare. */
function unknownProperty(name: string, type: string) {
  return errors.payload(
    'BulkDelete',
    `Microsoft.OData.ODataException: The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}
