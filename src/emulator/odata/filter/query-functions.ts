import { errors } from '../../http/errors.js';
import type { AttributeDef } from '../../metadata/types.js';
import type { Store } from '../../store/store.js';
import type { Row } from '../../store/types.js';
import { comparableValue, compareComparable, type Comparable } from '../values.js';
import type { Bound, Scope } from './bound.js';
import { readJsonArray, type ArrayItem } from './json-array.js';

/**
 * What the query functions read of the filter's environment (compile.ts's FilterEnvironment is
 * one): who the request runs as, "now", and the store for team membership.
 */
export interface QueryFunctionEnvironment {
  store: Store;
  userId: string;
  businessUnitId: string | undefined;
  /** "Now" in epoch milliseconds. */
  now: number;
}

/** A query function parameter after alias substitution: the literal as written and its value. */
export interface LiteralArgument {
  kind: string;
  text: string;
  value: unknown;
}

/** Tests the column value of one row; null means unknown (the row is left out). */
export type Condition = (value: Comparable, row: Row) => boolean | null;

export interface Arguments {
  attribute: AttributeDef;
  /** PropertyValue converted to the column's comparable form. */
  value(): Comparable;
  /** PropertyValues converted likewise. */
  values(): Comparable[];
  environment: QueryFunctionEnvironment;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function startOfDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

function between(value: Comparable, low: Comparable, high: Comparable): boolean | null {
  if (value === null || low === null || high === null) return null;
  return compareComparable(value, low) >= 0 && compareComparable(value, high) <= 0;
}

function inRange(from: number, to: number): Condition {
  return (value) => (typeof value === 'number' ? value >= from && value < to : null);
}

function negate(condition: Condition): Condition {
  return (value, row) => {
    const result = condition(value, row);
    return result === null ? null : !result;
  };
}

function membership(args: Arguments): Condition {
  const set = new Set(args.values());
  return (value) => (value === null ? null : set.has(value));
}

function range(args: Arguments): Condition {
  const [low = null, high = null] = args.values();
  return (value) => between(value, low, high);
}

/**
 * The Dataverse query functions the emulator implements (filter-rows "Dataverse query functions"):
 * membership, ranges, the caller's ids, and the common relative dates, evaluated in UTC. A Map,
 * because the name comes from the client: an object literal would also "have" `constructor`.
 */
const FUNCTIONS: ReadonlyMap<string, (args: Arguments) => Condition> = new Map(Object.entries({
  In: membership,
  NotIn: (args) => negate(membership(args)),
  Between: range,
  NotBetween: (args) => negate(range(args)),
  EqualUserId: (args) => {
    const id = args.environment.userId.toLowerCase();
    return (value) => (value === null ? false : value === id);
  },
  NotEqualUserId: (args) => {
    const id = args.environment.userId.toLowerCase();
    return (value) => (value === null ? null : value !== id);
  },
  EqualBusinessId: (args) => {
    const id = args.environment.businessUnitId?.toLowerCase();
    return (value) => (value === null ? false : value === id);
  },
  NotEqualBusinessId: (args) => {
    const id = args.environment.businessUnitId?.toLowerCase();
    return (value) => (value === null ? null : value !== id);
  },
  EqualUserOrUserTeams: (args) => {
    const { store, userId } = args.environment;
    const ids = new Set([userId, ...store.associated('teammembership_association', userId, true)].map((id) => id.toLowerCase()));
    return (value) => (value === null ? false : typeof value === 'string' && ids.has(value));
  },
  Today: (args) => inRange(startOfDay(args.environment.now), startOfDay(args.environment.now) + DAY),
  Yesterday: (args) => inRange(startOfDay(args.environment.now) - DAY, startOfDay(args.environment.now)),
  Tomorrow: (args) => inRange(startOfDay(args.environment.now) + DAY, startOfDay(args.environment.now) + 2 * DAY),
  LastXHours: (args) => inRange(args.environment.now - Number(args.value()) * HOUR, args.environment.now + 1),
  NextXHours: (args) => inRange(args.environment.now, args.environment.now + Number(args.value()) * HOUR + 1),
  LastXDays: (args) => inRange(startOfDay(args.environment.now) - Number(args.value()) * DAY, args.environment.now + 1),
  NextXDays: (args) => inRange(args.environment.now, startOfDay(args.environment.now) + (Number(args.value()) + 1) * DAY),
  OlderThanXDays: (args) => inRange(Number.NEGATIVE_INFINITY, args.environment.now - Number(args.value()) * DAY),
  On: (args) => {
    const day = startOfDay(Number(args.value()));
    return inRange(day, day + DAY);
  },
  OnOrAfter: (args) => inRange(startOfDay(Number(args.value())), Number.POSITIVE_INFINITY),
  OnOrBefore: (args) => inRange(Number.NEGATIVE_INFINITY, startOfDay(Number(args.value())) + DAY),
} satisfies Record<string, (args: Arguments) => Condition>));

const NAMESPACE = 'Microsoft.Dynamics.CRM.';

/**
 * The condition of one query function by its short name (`In`, `LastXDays`…), or undefined. FetchXML's
 * condition operators are the same ConditionOperator values (`in`, `last-x-days`…) and use these.
 */
export function queryFunctionCondition(name: string, args: Arguments): Condition | undefined {
  return FUNCTIONS.get(name)?.(args);
}

/** Binds `Microsoft.Dynamics.CRM.<Name>(PropertyName=…, PropertyValue(s)=…)` to a boolean expression. */
export function bindQueryFunction(
  fullName: string,
  parameters: ReadonlyMap<string, LiteralArgument>,
  scope: Scope,
  environment: QueryFunctionEnvironment,
): Bound {
  const build = fullName.startsWith(NAMESPACE) ? FUNCTIONS.get(fullName.slice(NAMESPACE.length)) : undefined;
  if (!build) {
    throw errors.badQuery(
      `An unknown function with name '${fullName}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
    );
  }
  const propertyName = parameters.get('PropertyName');
  if (!propertyName || propertyName.kind !== 'string') throw missingParameter(fullName, 'PropertyName');
  const table = scope.table;
  const attribute = table.attributes.get(String(propertyName.value));
  if (!attribute) throw errors.attributeNotFound(table.logicalName, String(propertyName.value));
  const convert = (item: ArrayItem | unknown): Comparable =>
    comparableValue(attribute, item === null || item === undefined ? null : typeof item === 'boolean' || typeof item === 'number' ? item : convertText(attribute, String(item)));
  const condition = build({
    attribute,
    environment,
    value: () => {
      const value = parameters.get('PropertyValue');
      if (!value) throw missingParameter(fullName, 'PropertyValue');
      return convert(value.value);
    },
    values: () => {
      const values = parameters.get('PropertyValues');
      if (!values || values.kind !== 'array') throw missingParameter(fullName, 'PropertyValues');
      return readJsonArray(values.text).map(convert);
    },
  });
  const column = attribute.logicalName;
  const slot = scope.slot;
  return {
    type: 'Edm.Boolean',
    evaluate: (vars) => {
      const row = vars[slot] as Row;
      return condition(comparableValue(attribute, row[column]), row);
    },
  };
}

/** Query function values are written as strings (`PropertyValues=["5","2000"]`): read them as the column's type. */
function convertText(attribute: AttributeDef, text: string): string | number | boolean {
  switch (attribute.type) {
    case 'Integer':
    case 'BigInt':
    case 'Decimal':
    case 'Double':
    case 'Money':
    case 'Picklist':
    case 'State':
    case 'Status':
      return Number(text);
    case 'Boolean':
      return text === 'true' || text === '1';
    default:
      return text;
  }
}

function missingParameter(fullName: string, parameter: string) {
  return errors.badQuery(`The function '${fullName}' requires the parameter '${parameter}'.`);
}
