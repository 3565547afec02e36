import type { Dispatcher as DispatcherType } from 'undici';
import api from 'undici/lib/api/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

/**
 * The two parts of undici dvas uses (a dispatcher, and request() through it), imported from their
 * own modules rather than from undici's index.js. index.js loads all of undici on every run: fetch,
 * WebSocket, EventSource, the HTTP caches, the mocks, and its cookies module, which reads
 * `globalThis.Headers`, and that getter makes Node compile its own internal copy of undici as
 * well. For a short command such as `dvas whoami` that was a third of the start-up
 * (docs/start-up.md). Every request still goes through undici's client, pool and parser.
 */
export { EnvHttpProxyAgent };

// What undici's index.js does first: every dispatcher gets request(), connect(), stream()… The
// proxy agent itself calls connect() on its client, so this is not optional.
Object.assign(Dispatcher.prototype, api);

export type RequestOptions = Omit<DispatcherType.RequestOptions, 'origin' | 'path' | 'method'> & {
  dispatcher: DispatcherType;
  method?: DispatcherType.HttpMethod;
};

/**
 * undici's `request(url, options)`, always through the dispatcher given: the URL split into origin
 * and path as undici's index.js does, then Dispatcher#request.
 */
export function request(url: string | URL, options: RequestOptions): Promise<DispatcherType.ResponseData> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = options;
  return dispatcher.request({
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: options.method ?? 'GET',
  });
}
