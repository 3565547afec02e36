import type { RequestContext } from '../http/context.js';
import type { EmulatorResponse } from '../http/types.js';
import type { TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';
import type { ParameterSpec, ParameterValue } from './parameters.js';

/**
 * A function bound to a table (`<entityset>(<id>)/Microsoft.Dynamics.CRM.<Name>(…)`): the tables
 * it is bound to, its declared parameters, and what it answers for one bound row.
 */
export interface BoundFunctionDef {
  name: string;
  /** Logical names of the tables the function is bound to. */
  bindings: readonly string[];
  parameters: readonly ParameterSpec[];
  run(ctx: RequestContext, table: TableDef, row: Row, parameters: ReadonlyMap<string, ParameterValue>): EmulatorResponse;
}
