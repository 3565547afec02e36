import { isGuid } from '../ids.js';
import type { AttributeDef, TableDef } from '../metadata/types.js';
import { likeMatcher } from '../odata/filter/like.js';
import { queryFunctionCondition, type Condition, type QueryFunctionEnvironment } from '../odata/filter/query-functions.js';
import { comparableValue, compareComparable, type Comparable } from '../odata/values.js';
import type { ColumnValue } from '../store/types.js';
import { fetchErrors } from './fetch-errors.js';
import type { ConditionNode } from './query.js';

/** Tests one column value; false for unknown (a null compared), as SQL leaves such rows out. */
export type ValueTest = (value: ColumnValue | undefined) => boolean;

/**
 * Operators that are the same ConditionOperator as a Web API query function: bound through the
 * $filter implementation, so that both query languages answer alike (operators reference).
 */
const QUERY_FUNCTIONS: Readonly<Record<string, string>> = {
  in: 'In',
  'not-in': 'NotIn',
  between: 'Between',
  'not-between': 'NotBetween',
  'eq-userid': 'EqualUserId',
  'ne-userid': 'NotEqualUserId',
  'eq-businessid': 'EqualBusinessId',
  'ne-businessid': 'NotEqualBusinessId',
  'eq-useroruserteams': 'EqualUserOrUserTeams',
  today: 'Today',
  yesterday: 'Yesterday',
  tomorrow: 'Tomorrow',
  on: 'On',
  'on-or-after': 'OnOrAfter',
  'on-or-before': 'OnOrBefore',
  'last-x-hours': 'LastXHours',
  'next-x-hours': 'NextXHours',
  'last-x-days': 'LastXDays',
  'next-x-days': 'NextXDays',
  'olderthan-x-days': 'OlderThanXDays',
};

/** Operators whose value is a number of units, not a value of the column. */
const COUNT_OPERATORS: ReadonlySet<string> = new Set(['last-x-hours', 'next-x-hours', 'last-x-days', 'next-x-days', 'olderthan-x-days']);
const NO_VALUE_OPERATORS: ReadonlySet<string> = new Set([
  'null', 'not-null', 'eq-userid', 'ne-userid', 'eq-businessid', 'ne-businessid', 'eq-useroruserteams', 'today', 'yesterday', 'tomorrow',
]);
const MANY_VALUE_OPERATORS: ReadonlySet<string> = new Set(['in', 'not-in', 'between', 'not-between']);
const STRING_TYPES: ReadonlySet<string> = new Set(['String', 'Memo', 'EntityName']);

/** Documented operators the emulator does not implement: a 501, never a wrong answer. */
const NOT_EMULATED: ReadonlySet<string> = new Set([
  'eq-userteams', 'eq-useroruserhierarchy', 'eq-useroruserhierarchyandteams', 'eq-userlanguage',
  'last-seven-days', 'next-seven-days', 'last-week', 'this-week', 'next-week', 'last-month', 'this-month', 'next-month',
  'last-year', 'this-year', 'next-year', 'last-x-weeks', 'next-x-weeks', 'last-x-months', 'next-x-months', 'last-x-years', 'next-x-years',
  'olderthan-x-minutes', 'olderthan-x-hours', 'olderthan-x-weeks', 'olderthan-x-months', 'olderthan-x-years',
  'in-fiscal-year', 'in-fiscal-period', 'in-fiscal-period-and-year', 'in-or-before-fiscal-period-and-year', 'in-or-after-fiscal-period-and-year',
  'last-fiscal-period', 'this-fiscal-period', 'next-fiscal-period', 'last-fiscal-year', 'this-fiscal-year', 'next-fiscal-year',
  'last-x-fiscal-periods', 'next-x-fiscal-periods', 'last-x-fiscal-years', 'next-x-fiscal-years',
  'under', 'eq-or-under', 'not-under', 'above', 'eq-or-above', 'contain-values', 'not-contain-values',
]);

const COMPARISONS: Readonly<Record<string, (order: number) => boolean>> = {
  eq: (order) => order === 0,
  ne: (order) => order !== 0,
  neq: (order) => order !== 0,
  gt: (order) => order > 0,
  ge: (order) => order >= 0,
  lt: (order) => order < 0,
  le: (order) => order <= 0,
};

/** The SQL LIKE pattern each string operator stands for, and whether it is negated. */
const PATTERNS: Readonly<Record<string, { pattern: (value: string) => string; negated: boolean }>> = {
  like: { pattern: (value) => value, negated: false },
  'not-like': { pattern: (value) => value, negated: true },
  'begins-with': { pattern: (value) => `${value}%`, negated: false },
  'not-begin-with': { pattern: (value) => `${value}%`, negated: true },
  'ends-with': { pattern: (value) => `%${value}`, negated: false },
  'not-end-with': { pattern: (value) => `%${value}`, negated: true },
};

/** Binds a condition to a test of the column's value, checking its values against the column's type. */
export function conditionTest(condition: ConditionNode, table: TableDef, attribute: AttributeDef, environment: QueryFunctionEnvironment): ValueTest {
  const { operator } = condition;
  const comparable = (value: ColumnValue | undefined) => comparableValue(attribute, value);
  checkValueCount(condition);
  if (operator === 'null') return (value) => comparable(value) === null;
  if (operator === 'not-null') return (value) => comparable(value) !== null;
  const comparison = COMPARISONS[operator];
  if (comparison) {
    const expected = typedValue(table, attribute, single(condition));
    return (value) => {
      const actual = comparable(value);
      return actual !== null && expected !== null && comparison(compareComparable(actual, expected));
    };
  }
  const like = PATTERNS[operator];
  if (like) {
    if (!STRING_TYPES.has(attribute.type)) throw wrongType(condition, table, attribute);
    const pattern = like.pattern(single(condition)).toLowerCase();
    const matcher = likeMatcher('like', pattern);
    return (value) => {
      const actual = comparable(value);
      if (typeof actual !== 'string') return false;
      const matches = matcher ? matcher.test(actual) : actual === pattern;
      return like.negated ? !matches : matches;
    };
  }
  const functionName = QUERY_FUNCTIONS[operator];
  if (functionName) {
    const counted = COUNT_OPERATORS.has(operator);
    const condition_: Condition | undefined = queryFunctionCondition(functionName, {
      attribute,
      environment,
      value: () => (counted ? unitCount(condition) : typedValue(table, attribute, single(condition))),
      values: () => valueList(condition).map((text) => typedValue(table, attribute, text)),
    });
    if (condition_) return (value) => condition_(comparable(value), {}) === true;
  }
  if (NOT_EMULATED.has(operator)) throw fetchErrors.notEmulated(`condition operator '${operator}'`);
  throw fetchErrors.unknownOperator(operator);
}

function checkValueCount(condition: ConditionNode): void {
  const { operator } = condition;
  const count = valueList(condition).length;
  if (NO_VALUE_OPERATORS.has(operator) && count > 0) {
    throw fetchErrors.invalidArgument(`The condition operator '${operator}' takes no value.`);
  }
  if ((operator === 'between' || operator === 'not-between') && count !== 2) {
    throw fetchErrors.invalidArgument(`The condition operator '${operator}' requires 2 values, not ${count}.`);
  }
  if (MANY_VALUE_OPERATORS.has(operator) && count === 0) {
    throw fetchErrors.invalidArgument(`The condition operator '${operator}' requires at least one value.`);
  }
}

/** Values as written: `value` elements, or the `value` attribute when there are none. */
function valueList(condition: ConditionNode): string[] {
  if (condition.values.length > 0) return condition.values;
  return condition.value === undefined ? [] : [condition.value];
}

function single(condition: ConditionNode): string {
  const [value, extra] = valueList(condition);
  if (value === undefined || extra !== undefined) {
    throw fetchErrors.invalidArgument(`The condition operator '${condition.operator}' requires 1 value.`);
  }
  return value;
}

function unitCount(condition: ConditionNode): number {
  const text = single(condition);
  if (!/^\s*\d+\s*$/.test(text)) throw fetchErrors.invalidArgument(`The value '${text}' of operator '${condition.operator}' is not a whole number.`);
  return Number(text);
}

const NUMBER_TYPES: ReadonlySet<string> = new Set(['Integer', 'BigInt', 'Decimal', 'Double', 'Money', 'Picklist', 'State', 'Status']);

/** The .NET type the service names when a condition value does not convert. */
const NUMBER_TYPE_NAMES: Readonly<Record<string, string>> = {
  Integer: 'System.Int32',
  Picklist: 'System.Int32',
  State: 'System.Int32',
  Status: 'System.Int32',
  BigInt: 'System.Int64',
  Double: 'System.Double',
};

/** A condition value read as the column's type, in the comparable form (strings lower-cased, dates in ms). */
function typedValue(table: TableDef, attribute: AttributeDef, text: string): Comparable {
  const invalid = (expected: string) =>
    fetchErrors.invalidArgument(
      `An exception System.FormatException was thrown while trying to convert input value '${text}' to attribute '${table.logicalName}.${attribute.logicalName}'. Expected type of attribute value: ${expected}.`,
    );
  if (NUMBER_TYPES.has(attribute.type)) {
    const number = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(number)) throw invalid(NUMBER_TYPE_NAMES[attribute.type] ?? 'System.Decimal');
    return number;
  }
  switch (attribute.type) {
    case 'Boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === '1' || lower === 'true') return true;
      if (lower === '0' || lower === 'false') return false;
      throw invalid('System.Boolean');
    }
    case 'DateTime': {
      const time = Date.parse(text.trim());
      if (Number.isNaN(time)) throw invalid('System.DateTime');
      return time;
    }
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner': {
      const id = text.trim().replace(/^\{(.*)\}$/, '$1');
      if (!isGuid(id)) throw invalid('System.Guid');
      return id.toLowerCase();
    }
    default:
      return comparableValue(attribute, text);
  }
}

function wrongType(condition: ConditionNode, table: TableDef, attribute: AttributeDef) {
  return fetchErrors.invalidArgument(
    `The condition operator '${condition.operator}' is not valid for the attribute '${table.logicalName}.${attribute.logicalName}' of type ${attribute.type}.`,
  );
}
