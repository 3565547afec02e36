import type { TableDef } from '../../metadata/types.js';
import type { Row } from '../../store/types.js';
import type { EdmType } from '../edm.js';
import type { Comparable } from '../values.js';

/**
 * A $filter expression bound to a table and compiled to a closure. `vars[0]` is the row being
 * filtered; lambda range variables take the following slots. Boolean expressions evaluate to
 * true, false or null (unknown: SQL's three-valued logic, which is how Dataverse evaluates them).
 */
export interface Bound {
  /** null: the null literal (fits any type); 'collection': a collection-valued navigation property. */
  type: EdmType | null | 'collection';
  evaluate(vars: Row[]): Comparable;
  /** For literals: the value as written (string literals unescaped), for query functions and coercions. */
  literal?: { kind: string; text: string; value: unknown };
}

/** Where names are looked up: the filtered table, and the range variables of enclosing lambdas. */
export interface Scope {
  rootTable: TableDef;
  /** The innermost table (a lambda's range variable, else the root): query functions apply to it. */
  table: TableDef;
  slot: number;
  variables: ReadonlyMap<string, { slot: number; table: TableDef }>;
}
