import type { Token } from './lexer.js';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type LogicalOperator = 'and' | 'or';

/** The syntax tree of a $filter expression, before its names are bound to a table. */
export type FilterNode =
  | { kind: 'literal'; token: Token }
  | { kind: 'keyword'; value: true | false | null; position: number }
  | { kind: 'alias'; name: string; position: number }
  /** A property path such as `name`, `primarycontactid/fullname`, `o/systemuserid`. */
  | { kind: 'path'; segments: string[]; position: number }
  /** `path/any(v: body)`, `path/all(v: body)`, `path/any()`. */
  | { kind: 'lambda'; path: string[]; operator: 'any' | 'all'; variable?: string; body?: FilterNode; position: number }
  /** `contains(name,'x')` and the other built-in functions. */
  | { kind: 'call'; name: string; args: FilterNode[]; position: number }
  /** `Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])`. */
  | { kind: 'queryFunction'; name: string; parameters: Map<string, FilterNode>; position: number }
  | { kind: 'comparison'; operator: ComparisonOperator; left: FilterNode; right: FilterNode; position: number }
  | { kind: 'logical'; operator: LogicalOperator; left: FilterNode; right: FilterNode; position: number }
  | { kind: 'not'; operand: FilterNode; position: number };
