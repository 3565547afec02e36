import type { Dispatcher } from 'undici';
import { EnvHttpProxyAgent } from './undici.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface HttpTimeouts {
  /** TCP + TLS handshake. */
  connectTimeoutMs: number;
  /** From sending the request to the response headers: how long Dataverse may think. */
  headersTimeoutMs: number;
  /** Longest silence between two chunks of a response body. */
  bodyTimeoutMs: number;
}

/**
 * Dataverse allows a request to run for about two minutes before the service gives up on it;
 * waiting a little longer than that lets its own timeout error reach the user instead of ours.
 */
export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 150_000,
  bodyTimeoutMs: 150_000,
};

/**
 * The one undici dispatcher of a dvas run, shared by the Dataverse client and by msal (through
 * the undici network client), so that proxy, trust and timeouts are the same for both.
 *
 * Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) in the run's environment,
 * never from `process.env` behind its back. Custom CAs come from NODE_EXTRA_CA_CERTS through
 * Node's default trust store: passing `connect.ca` would *replace* the system roots.
 */
export function createHttpDispatcher(env: Env, timeouts: Partial<HttpTimeouts> = {}): Dispatcher {
  const { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  return new EnvHttpProxyAgent({
    // '' (not undefined) so that undici does not fall back to process.env.
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: withLoopbackAliases(env.no_proxy ?? env.NO_PROXY ?? ''),
    connect: { timeout: connectTimeoutMs },
    headersTimeout: headersTimeoutMs,
    bodyTimeout: bodyTimeoutMs,
    keepAliveTimeout: 10_000,
  });
}

/**
 * undici matches NO_PROXY entries by name, so `NO_PROXY=localhost` does not cover 127.0.0.1 or
 * [::1]. Someone who wrote "localhost" meant this machine: add its loopback addresses too.
 */
export function withLoopbackAliases(noProxy: string): string {
  const entries = noProxy.split(/[,\s]+/).filter(Boolean);
  if (!entries.some((entry) => entry.toLowerCase() === 'localhost')) return noProxy;
  const aliases = ['127.0.0.1', '[::1]'].filter((alias) => !entries.includes(alias));
  return [...entries, ...aliases].join(',');
}
