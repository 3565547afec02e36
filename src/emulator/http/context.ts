import type { EmulatorCore } from '../core.js';
import type { Principal } from '../security/model.js';
import type { Prefer } from './prefer.js';
import type { Dispatch, EmulatorRequest } from './types.js';

export const API_VERSIONS = ['v9.0', 'v9.1', 'v9.2'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** What a handler gets for one Web API request, after authentication and impersonation. */
export interface RequestContext {
  core: EmulatorCore;
  request: EmulatorRequest;
  method: string;
  version: ApiVersion;
  /** `${origin}/api/data/v9.2/`: the base of @odata.context, OData-EntityId and nextLink URLs. */
  serviceRoot: string;
  /** The full request URI, as the service quotes it in some error messages. */
  requestUri: string;
  /** Decoded query parameters: system query options ($select…) and parameter aliases (@p1…). */
  query: ReadonlyMap<string, string>;
  prefer: Prefer;
  principal: Principal;
  activityId: string;
  /** The dispatcher this request came through, bound to its emulator: a $batch re-enters it per inner request. */
  dispatch: Dispatch;
}
