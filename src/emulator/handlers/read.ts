import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

// Placeholders until the query engine lands: answer NotSupported.
export function readCollection(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
export const countCollection = readCollection;
export const readRow = readCollection;
export const readProperty = readCollection;
export const readNavigation = readCollection;
