import type { Policy } from '../pipeline.js';

/**
 * Names dvas to the service ("dvas/0.1.0 node/20.20.0 linux-x64"), so that an administrator
 * reading Dataverse's request logs can tell its calls apart. A caller-supplied prefix (a script
 * naming itself) goes in front; a User-Agent the call set itself is left alone.
 */
export function userAgentPolicy(options: { version: string; prefix?: string; runtime?: string }): Policy {
  const runtime = options.runtime ?? `node/${process.versions.node} ${process.platform}-${process.arch}`;
  const value = [options.prefix, `dvas/${options.version}`, runtime].filter(Boolean).join(' ');
  return {
    name: 'userAgent',
    send: (request, next) => next({ ...request, headers: request.headers.setIfAbsent('User-Agent', value) }),
  };
}
