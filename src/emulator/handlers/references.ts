import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

// Placeholder until $ref lands: answers NotSupported.
export function handleReference(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
