import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

// Placeholder until the privilege functions land: answers NotSupported.
export function boundFunction(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
