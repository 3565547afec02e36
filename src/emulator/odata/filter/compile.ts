import { errors } from '../../http/errors.js';
import { isGuid } from '../../ids.js';
import type { MetadataRegistry } from '../../metadata/registry.js';
import type { NavigationDef, TableDef } from '../../metadata/types.js';
import type { Store } from '../../store/store.js';
import { isLookupValue, type Row } from '../../store/types.js';
import { comparableTypes, edmTypeOf, type EdmType } from '../edm.js';
import { MAX_NESTING, nestingTooDeep } from '../nesting-limit.js';
import { attributeByProperty } from '../property-names.js';
import { relatedRow, relatedRowsReader, type RelatedRowsReader } from '../related.js';
import { comparableValue, compareComparable, type Comparable } from '../values.js';
import type { ComparisonOperator, FilterNode } from './ast.js';
import type { Bound, Scope } from './bound.js';
import type { Token } from './lexer.js';
import { likeMatcher } from './like.js';
import { parseFilter } from './parser.js';
import { bindQueryFunction, type LiteralArgument } from './query-functions.js';

export interface FilterEnvironment {
  metadata: MetadataRegistry;
  store: Store;
  /** Query-string parameter aliases: `@p1` → the OData literal it stands for. */
  aliases: ReadonlyMap<string, string>;
  /** The user the request runs as (EqualUserId…) and that user's business unit (EqualBusinessId). */
  userId: string;
  businessUnitId: string | undefined;
  /** "Now" in epoch milliseconds, for the relative date functions (the emulator's users are on UTC). */
  now: number;
}

export type RowPredicate = (row: Row) => boolean;

/**
 * Parses and binds a $filter expression against a table, returning a predicate that keeps the
 * rows for which the expression is true (not false, not unknown). Binding errors use ODataLib's
 * messages; everything is resolved here, once, so evaluating a row only runs closures.
 */
export function compileFilter(text: string, table: TableDef, environment: FilterEnvironment): RowPredicate {
  const binder = new Binder(environment);
  const bound = binder.bind(parseFilter(text), { rootTable: table, table, slot: 0, variables: new Map() });
  if (bound.type !== 'Edm.Boolean') throw errors.badQuery('The $filter expression must evaluate to a single boolean value.');
  const vars: Row[] = new Array<Row>(binder.slotCount);
  return (row) => {
    vars[0] = row;
    return bound.evaluate(vars) === true;
  };
}

const OPERATOR_KINDS: Readonly<Record<ComparisonOperator | 'and' | 'or', string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  and: 'And',
  or: 'Or',
};

const TESTS: Readonly<Record<ComparisonOperator, (order: number) => boolean>> = {
  eq: (order) => order === 0,
  ne: (order) => order !== 0,
  gt: (order) => order > 0,
  ge: (order) => order >= 0,
  lt: (order) => order < 0,
  le: (order) => order <= 0,
};

const STRING_FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

type SingleNavigation = Extract<NavigationDef, { kind: 'single' }>;

class Binder {
  /** Slots the evaluation needs: the filtered row plus one per lambda variable. */
  slotCount = 1;
  private readonly aliasesInUse = new Set<string>();
  private readonly relatedRows: RelatedRowsReader;
  /**
   * How deep the bound tree is here. The parser's limit does not bound it: `a and b and c…` parses
   * in a loop but binds (and evaluates) as a tree as deep as the chain is long, and each alias is
   * parsed on its own. ODataLib's binder applies the same limit.
   */
  private depth = 0;

  constructor(private readonly environment: FilterEnvironment) {
    this.relatedRows = relatedRowsReader(environment.store);
  }

  bind(node: FilterNode, scope: Scope): Bound {
    if (node.kind === 'literal' || node.kind === 'keyword' || node.kind === 'path') return this.bindNode(node, scope);
    if (++this.depth > MAX_NESTING) throw nestingTooDeep();
    try {
      return this.bindNode(node, scope);
    } finally {
      this.depth--;
    }
  }

  private bindNode(node: FilterNode, scope: Scope): Bound {
    switch (node.kind) {
      case 'literal':
        return literal(node.token);
      case 'keyword':
        return {
          type: node.value === null ? null : 'Edm.Boolean',
          evaluate: () => node.value,
          literal: { kind: 'keyword', text: String(node.value), value: node.value },
        };
      case 'alias':
        return this.alias(node.name, scope);
      case 'path':
        return this.path(node.segments, scope);
      case 'lambda':
        return this.lambda(node, scope);
      case 'call':
        return this.call(node.name, node.args, scope);
      case 'queryFunction':
        return bindQueryFunction(node.name, this.functionArguments(node.parameters, scope), scope, this.environment);
      case 'comparison':
        return this.comparison(node.operator, this.bind(node.left, scope), this.bind(node.right, scope));
      case 'logical':
        return this.logical(node.operator, this.bind(node.left, scope), this.bind(node.right, scope));
      case 'not':
        return this.not(node.operand, scope);
    }
  }

  /** An alias given no value is null, as OData specifies. */
  private alias(name: string, scope: Scope): Bound {
    const text = this.environment.aliases.get(name);
    if (text === undefined) return { type: null, evaluate: () => null, literal: { kind: 'keyword', text: 'null', value: null } };
    if (this.aliasesInUse.has(name)) throw errors.badQuery(`The parameter alias '${name}' refers to itself.`);
    this.aliasesInUse.add(name);
    try {
      return this.bind(parseFilter(text), scope);
    } finally {
      this.aliasesInUse.delete(name);
    }
  }

  /** Resolves a leading range variable: the slot and table a path starts from. */
  private start(segments: string[], scope: Scope): { slot: number; table: TableDef; rest: string[] } {
    const variable = scope.variables.get(segments[0] as string);
    if (variable) return { slot: variable.slot, table: variable.table, rest: segments.slice(1) };
    return { slot: 0, table: scope.rootTable, rest: segments };
  }

  /** Walks single-valued navigation properties; returns the steps and the table reached. */
  private walk(table: TableDef, segments: string[]): { steps: SingleNavigation[]; table: TableDef } {
    const steps: SingleNavigation[] = [];
    let current = table;
    segments.forEach((segment, index) => {
      const navigation = current.navigations.get(segment);
      if (!navigation) throw errors.propertyNotFound(segment, current.logicalName);
      if (navigation.kind !== 'single') {
        throw errors.badQuery(
          `The parent value for a property access of a property '${segments[index + 1] ?? segment}' is not a single entity value. Property access can only be applied to a single entity value.`,
        );
      }
      steps.push(navigation);
      current = this.environment.metadata.require(navigation.target);
    });
    return { steps, table: current };
  }

  /** Follows the steps from a row; undefined when a lookup on the way is empty. */
  private follow(steps: readonly SingleNavigation[], row: Row | undefined): { row: Row; table: TableDef } | undefined {
    let current: Row | undefined = row;
    let table: TableDef | undefined;
    for (const step of steps) {
      if (!current) return undefined;
      const next = relatedRow(this.environment.store, this.environment.metadata, current, step);
      current = next?.row;
      table = next?.table;
    }
    return current && table ? { row: current, table } : undefined;
  }

  private path(segments: string[], scope: Scope): Bound {
    const start = this.start(segments, scope);
    if (start.rest.length === 0) throw errors.badQuery(`The range variable '${segments[0]}' cannot be used on its own; name one of its properties.`);
    const walked = this.walk(start.table, start.rest.slice(0, -1));
    const last = start.rest[start.rest.length - 1] as string;
    const { slot } = start;
    const steps = walked.steps;
    const reach = (vars: Row[]): Row | undefined => (steps.length === 0 ? vars[slot] : this.follow(steps, vars[slot])?.row);

    const attribute = attributeByProperty(walked.table, last);
    if (attribute) {
      const column = attribute.logicalName;
      return { type: edmTypeOf(attribute), evaluate: (vars) => comparableValue(attribute, reach(vars)?.[column]) };
    }
    const navigation = walked.table.navigations.get(last);
    if (navigation?.kind === 'single') {
      // A single-valued navigation property compares as the related row's id (`primarycontactid eq null`).
      return {
        type: 'Edm.Guid',
        evaluate: (vars) => {
          const value = reach(vars)?.[navigation.attribute];
          return isLookupValue(value) ? value.id.toLowerCase() : null;
        },
      };
    }
    if (navigation) return { type: 'collection', evaluate: () => null };
    throw errors.propertyNotFound(last, walked.table.logicalName);
  }

  private lambda(node: Extract<FilterNode, { kind: 'lambda' }>, scope: Scope): Bound {
    const start = this.start(node.path, scope);
    const walked = this.walk(start.table, start.rest.slice(0, -1));
    const name = start.rest[start.rest.length - 1];
    const navigation = name === undefined ? undefined : walked.table.navigations.get(name);
    if (!navigation) throw errors.propertyNotFound(name ?? node.path.join('/'), walked.table.logicalName);
    if (navigation.kind === 'single') throw errors.badQuery('Any/All may only be used following a collection.');
    const target = this.environment.metadata.require(navigation.target);
    const { relatedRows } = this;
    const steps = walked.steps;
    const sourceTable = walked.table;
    const { slot } = start;
    const source = (vars: Row[]): { row: Row; table: TableDef } | undefined => {
      const row = vars[slot];
      if (steps.length === 0) return row ? { row, table: sourceTable } : undefined;
      return this.follow(steps, row);
    };

    if (!node.variable || !node.body) {
      if (node.operator === 'all') throw errors.badQuery(`Syntax error at position ${node.position} in 'all()'.`);
      return {
        type: 'Edm.Boolean',
        evaluate: (vars) => {
          const from = source(vars);
          return from ? relatedRows(from.table, from.row, navigation).length > 0 : false;
        },
      };
    }
    if (scope.variables.has(node.variable)) throw errors.badQuery(`The range variable '${node.variable}' has already been declared.`);
    const variableSlot = this.slotCount++;
    const variables = new Map(scope.variables);
    variables.set(node.variable, { slot: variableSlot, table: target });
    const body = this.bind(node.body, { rootTable: scope.rootTable, table: target, slot: variableSlot, variables });
    if (body.type !== 'Edm.Boolean') throw errors.badQuery('The Any/All query expression must evaluate to a single boolean value.');
    const wantsAny = node.operator === 'any';
    return {
      type: 'Edm.Boolean',
      evaluate: (vars) => {
        const from = source(vars);
        if (!from) return !wantsAny;
        for (const child of relatedRows(from.table, from.row, navigation)) {
          vars[variableSlot] = child;
          const result = body.evaluate(vars) === true;
          if (result === wantsAny) return wantsAny;
        }
        return !wantsAny;
      },
    };
  }

  private call(name: string, args: FilterNode[], scope: Scope): Bound {
    if (!STRING_FUNCTIONS.has(name)) {
      throw errors.badQuery(
        `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    }
    const kind = name as 'contains' | 'startswith' | 'endswith';
    const bound = args.map((arg) => this.bind(arg, scope));
    const [text, pattern] = bound;
    if (bound.length !== 2 || !text || !pattern || !bound.every((arg) => arg.type === 'Edm.String' || arg.type === null)) {
      throw errors.badQuery(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    }
    const constant = pattern.literal?.kind === 'string' ? String(pattern.literal.value).toLowerCase() : undefined;
    const matcher = constant === undefined ? undefined : likeMatcher(kind, constant);
    const test =
      kind === 'contains'
        ? (value: string, part: string) => value.includes(part)
        : kind === 'startswith'
          ? (value: string, part: string) => value.startsWith(part)
          : (value: string, part: string) => value.endsWith(part);
    return {
      type: 'Edm.Boolean',
      evaluate: (vars) => {
        const value = text.evaluate(vars);
        if (typeof value !== 'string') return null;
        if (matcher) return matcher.test(value);
        const part = pattern.evaluate(vars);
        return typeof part === 'string' ? test(value, part) : null;
      },
    };
  }

  /** Query function parameters are literals (or aliases of literals): resolve them once. */
  private functionArguments(parameters: ReadonlyMap<string, FilterNode>, scope: Scope): ReadonlyMap<string, LiteralArgument> {
    const result = new Map<string, LiteralArgument>();
    for (const [name, node] of parameters) {
      const bound = this.bind(node, scope);
      if (!bound.literal) throw errors.badQuery(`The parameter '${name}' must be a literal value.`);
      result.set(name, { kind: bound.literal.kind, text: bound.literal.text, value: bound.literal.value });
    }
    return result;
  }

  private comparison(operator: ComparisonOperator, left: Bound, right: Bound): Bound {
    // The service accepts a quoted GUID for an id property (its own docs write `_owninguser_value eq '<id>'`).
    left = guidFromString(left, right.type);
    right = guidFromString(right, left.type);
    if (left.type === 'collection' || right.type === 'collection') {
      throw errors.badQuery(
        `The operand for a binary operator '${OPERATOR_KINDS[operator]}' is not a single value. Binary operators require both operands to be single values.`,
      );
    }
    if (left.type !== null && right.type !== null && !comparableTypes(left.type, right.type)) {
      throw errors.badQuery(
        `A binary operator with incompatible types was detected. Found operand types '${left.type}' and '${right.type}' for operator kind '${OPERATOR_KINDS[operator]}'.`,
      );
    }
    const valueOf = (left.type === null ? right : left).evaluate;
    if (left.type === null || right.type === null) {
      // Comparing with the null literal tests for a missing value; only eq and ne mean anything.
      if (operator === 'eq') return { type: 'Edm.Boolean', evaluate: (vars) => valueOf(vars) === null };
      if (operator === 'ne') return { type: 'Edm.Boolean', evaluate: (vars) => valueOf(vars) !== null };
      return { type: 'Edm.Boolean', evaluate: () => null };
    }
    const test = TESTS[operator];
    const leftValue = left.evaluate;
    const rightValue = right.evaluate;
    return {
      type: 'Edm.Boolean',
      evaluate: (vars) => {
        const a = leftValue(vars);
        const b = rightValue(vars);
        if (a === null || b === null) return null;
        return test(compareComparable(a, b));
      },
    };
  }

  private logical(operator: 'and' | 'or', left: Bound, right: Bound): Bound {
    if (left.type !== 'Edm.Boolean' || right.type !== 'Edm.Boolean') {
      throw errors.badQuery(
        `A binary operator with incompatible types was detected. Found operand types '${typeName(left)}' and '${typeName(right)}' for operator kind '${OPERATOR_KINDS[operator]}'.`,
      );
    }
    const a = left.evaluate;
    const b = right.evaluate;
    if (operator === 'and') {
      return {
        type: 'Edm.Boolean',
        evaluate: (vars) => {
          const first = a(vars);
          if (first === false) return false;
          const second = b(vars);
          if (second === false) return false;
          return first === null || second === null ? null : true;
        },
      };
    }
    return {
      type: 'Edm.Boolean',
      evaluate: (vars) => {
        const first = a(vars);
        if (first === true) return true;
        const second = b(vars);
        if (second === true) return true;
        return first === null || second === null ? null : false;
      },
    };
  }

  private not(operand: FilterNode, scope: Scope): Bound {
    if (operand.kind === 'queryFunction') throw errors.badQuery('Not operator along with the Custom Named Condition operators is not allowed');
    const bound = this.bind(operand, scope);
    if (bound.type !== 'Edm.Boolean') {
      throw errors.badQuery(
        `A unary operator with an incompatible type was detected. Found operand type '${typeName(bound)}' for operator kind 'Not'.`,
      );
    }
    return {
      type: 'Edm.Boolean',
      evaluate: (vars) => {
        const value = bound.evaluate(vars);
        return value === null ? null : !value;
      },
    };
  }
}

function typeName(bound: Bound): string {
  return bound.type === null ? 'null' : bound.type === 'collection' ? 'Collection' : bound.type;
}

function guidFromString(bound: Bound, otherType: Bound['type']): Bound {
  if (otherType !== 'Edm.Guid' || bound.literal?.kind !== 'string' || !isGuid(bound.literal.value)) return bound;
  const id = String(bound.literal.value).toLowerCase();
  return { type: 'Edm.Guid', evaluate: () => id, literal: bound.literal };
}

/** A literal token as a constant: strings unescaped and lower-cased, ids lower-cased, dates as epoch ms. */
function literal(token: Token): Bound {
  const constant = (type: EdmType, value: Comparable, raw: unknown = value): Bound => ({
    type,
    evaluate: () => value,
    literal: { kind: token.kind, text: token.text, value: raw },
  });
  switch (token.kind) {
    case 'string': {
      const text = token.text.slice(1, -1).replace(/''/g, "'");
      return constant('Edm.String', text.toLowerCase(), text);
    }
    case 'guid':
      return constant('Edm.Guid', token.text.toLowerCase());
    case 'date':
      return constant('Edm.Date', Date.parse(`${token.text}T00:00:00Z`), token.text);
    case 'datetime':
      return constant('Edm.DateTimeOffset', Date.parse(token.text), token.text);
    case 'number':
      return constant(numberType(token.text), Number(token.text.replace(/[mMdDfFlL]$/, '')));
    case 'array':
      // Arrays are only meaningful as query function parameters, which read the literal text.
      return { type: 'collection', evaluate: () => null, literal: { kind: 'array', text: token.text, value: token.text } };
    default:
      throw errors.badQuery(`Syntax error at position ${token.position} in '${token.text}'.`);
  }
}

function numberType(text: string): EdmType {
  const suffix = text[text.length - 1]?.toLowerCase();
  if (suffix === 'm') return 'Edm.Decimal';
  if (suffix === 'd' || suffix === 'f' || /[.eE]/.test(text)) return 'Edm.Double';
  const value = Number(suffix === 'l' ? text.slice(0, -1) : text);
  return suffix === 'l' || value > 2147483647 || value < -2147483648 ? 'Edm.Int64' : 'Edm.Int32';
}
