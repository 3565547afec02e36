import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../clock/clock.js';
import { jwtSubjectName } from '../auth/access-token.js';
import { createTokenProvider } from '../auth/create-token-provider.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { tokenCacheFile } from '../config/paths.js';
import { createHttpDispatcher } from '../http/dispatcher.js';
import { parseEnvironmentUrl } from '../http/environment-url.js';
import { abortableSleep } from '../http/abortable-sleep.js';
import type { IO } from '../output/io.js';
import type { Profile } from '../profiles/types.js';
import { VERSION } from '../version.js';
import { DataverseClient } from './client.js';
import { dryRunPolicy, sendNothing, type DryRunSettings } from './dry-run.js';
import { composePipeline, type Policy } from './pipeline.js';
import { authPolicy } from './policies/auth.js';
import { impersonationPolicy, type ImpersonationTarget } from './policies/impersonation.js';
import { loggingPolicy } from './policies/logging.js';
import { odataHeadersPolicy } from './policies/odata-headers.js';
import { retryPolicy, type RetryOptions, type RetryWait } from './policies/retry.js';
import { userAgentPolicy } from './policies/user-agent.js';
import { undiciTransport } from './transport.js';

export interface CreateDataverseClientOptions {
  profile: Profile;
  env: Readonly<Record<string, string | undefined>>;
  io: IO;
  /** Log each HTTP exchange (sanitized) on stderr. */
  verbose?: boolean;
  /**
   * --dry-run (docs/dry-run.md): the lookups are sent, the operation is printed instead; with
   * `offline` nothing is sent and no token is acquired.
   */
  dryRun?: DryRunSettings | false;
  /** Whom every request runs as (`--as`, resolved). */
  impersonation?: ImpersonationTarget;
  /** Defaults to the profile's sign-in kind (createTokenProvider). */
  tokenProvider?: TokenProvider;
  /** Defaults to a new proxy-aware dispatcher for the run; a caller that has one already (to share it with msal) passes it. */
  dispatcher?: Dispatcher;
  /** Defaults to tokenCacheFile(env). */
  cacheFile?: string;
  /** Tests inject random (the jitter) or override waits; the CLI may pass onWait to drive a spinner. */
  retry?: RetryOptions;
  /** The run's clock (the context's): retry waits, Retry-After dates, token expiry, log timings. */
  clock?: Clock;
  /** Aborted on Ctrl+C: cancels the request in flight and any wait between retries. */
  signal?: AbortSignal;
}

/**
 * Wires the Dataverse client for a profile: the policies in the house-style order (user agent,
 * OData headers, impersonation, retry, auth, logging) over the undici transport. Under --dry-run
 * the dry-run gate sits after impersonation, so what it prints carries every header the request
 * would leave with (Authorization aside); under --dry-run --offline nothing stands behind the gate:
 * no token provider, no dispatcher. Refuses a plain-http environment URL unless it is on this machine.
 */
export function createDataverseClient(options: CreateDataverseClientOptions): DataverseClient {
  const environment = parseEnvironmentUrl(options.profile.url);
  const write = (text: string) => options.io.stderr.write(text);
  const policies: Policy[] = [userAgentPolicy({ version: VERSION }), odataHeadersPolicy()];
  if (options.impersonation) policies.push(impersonationPolicy(options.impersonation));

  if (options.dryRun) {
    policies.push(dryRunPolicy(options.dryRun, { stdout: (text) => options.io.stdout.write(text), stderr: write }));
    if (options.dryRun.offline) return new DataverseClient(environment, options.profile.apiVersion, composePipeline(policies, sendNothing));
  }

  const clock = options.clock ?? systemClock;
  const dispatcher = options.dispatcher ?? createHttpDispatcher(options.env);
  const tokenProvider =
    options.tokenProvider ??
    createTokenProvider(options.profile, {
      env: options.env,
      io: options.io,
      dispatcher,
      cacheFile: options.cacheFile ?? tokenCacheFile(options.env),
      clock,
      ...(options.verbose ? { log: write } : {}),
    });
  const signal = options.signal;
  policies.push(
    retryPolicy({
      onWait: (wait) => write(describeWait(wait)),
      ...(options.verbose ? { onGiveUp: (reason: string) => write(`dvas: ${reason}\n`) } : {}),
      sleep: (ms) => abortableSleep(clock, ms, signal),
      now: () => clock.now(),
      ...options.retry,
    }),
    authPolicy(tokenProvider, environment.origin),
  );
  if (options.verbose) policies.push(loggingPolicy({ write, now: () => clock.now() }));
  const signedInAs = async () => jwtSubjectName((await tokenProvider.getToken()).token);
  return new DataverseClient(environment, options.profile.apiVersion, composePipeline(policies, undiciTransport(dispatcher, signal)), signedInAs);
}

/** "dvas: throttled by Dataverse (429), waiting 12 s (attempt 1 of 6)" */
export function describeWait(wait: RetryWait): string {
  const seconds = Math.max(1, Math.round(wait.waitMs / 1000));
  const what = {
    throttled: `throttled by Dataverse (${wait.detail})`,
    unavailable: `Dataverse unavailable (${wait.detail})`,
    network: `connection failed (${wait.detail})`,
  }[wait.reason];
  return `dvas: ${what}, waiting ${seconds} s (attempt ${wait.attempt} of ${wait.maxAttempts})\n`;
}
