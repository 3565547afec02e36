// Types for the undici modules src/http/undici.ts imports by path (undici's own types describe only
// its index.js). They are the very class and functions index.js re-exports.
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici';
  const EnvHttpProxyAgentClass: typeof EnvHttpProxyAgent;
  export default EnvHttpProxyAgentClass;
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import type { Dispatcher } from 'undici';
  const DispatcherClass: typeof Dispatcher;
  export default DispatcherClass;
}

declare module 'undici/lib/api/index.js' {
  /** request, stream, pipeline, connect, upgrade: the methods index.js puts on Dispatcher.prototype. */
  const api: Record<string, (...args: never[]) => unknown>;
  export default api;
}
