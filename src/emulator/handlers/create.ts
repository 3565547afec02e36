import type { TableDef } from '../metadata/types.js';
import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

// Placeholder until the handler lands: answers NotSupported.
export function createRow(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
export type { TableDef };
