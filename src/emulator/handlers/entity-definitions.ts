import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

// Placeholder until EntityDefinitions lands: answers NotSupported.
export function entityDefinitions(ctx: RequestContext, ..._rest: unknown[]): EmulatorResponse {
  void ctx;
  throw errors.notSupported();
}
