import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../clock/clock.js';
import { appTokenClaims, userTokenClaims } from './auth/token-claims.js';
import { deviceCodeApprover, EmulatorAuthority, SAMPLE_PUBLIC_CLIENT_ID } from './authority/authority.js';
import { EmulatorCore, type EmulatorStats } from './core.js';
import { FaultInjector } from './faults/injector.js';
import { formatFaultSpec, injectsFaults, parseFaultSpec, validateFaults, type FaultOptions } from './faults/spec.js';
import { createEmulatorServer, type RawRoute, type ServerHooks } from './http/server.js';
import { makeLoopbackCertificate } from './http/tls-certificate.js';
import { HEALTH_PATH, healthRoute } from './http/health-route.js';
import { STATS_PATH, statsRoute } from './http/stats-route.js';
import type { WebApiRequestLog } from './http/web-api-log.js';
import { resolveLimits, type LimitsOption, type ServiceProtectionLimits } from './protection/limits.js';
import { ServiceProtection } from './protection/service-protection.js';
import { guardWebApi } from './protection/web-api-guard.js';
import type { UnknownCallerMode } from './security/impersonation.js';
import { demoSeed } from './seed/demo.js';
import { loadSeed, SeedError } from './seed/load.js';
import { readStateFile, selfContainedSeed, writeStateFile } from './state/state-file.js';
import type { SeedDocument } from './seed/types.js';
import { userDirectory } from './store/user-directory.js';

export { SeedError } from './seed/load.js';
export type { SeedDocument } from './seed/types.js';
export { DEMO_APP } from './seed/demo.js';
export { FaultSpecError, type FaultOptions } from './faults/spec.js';
export type { LimitsOption, ServiceProtectionLimits } from './protection/limits.js';
export type { EmulatorStats } from './core.js';
export type { WebApiLogEntry, WebApiRequestLog } from './http/web-api-log.js';
export type { EmulatorAuthority } from './authority/authority.js';
export { emulatorMsalAuthority } from './authority/msal-config.js';

export interface StartEmulatorOptions {
  /** 0 (the default) picks a free port; the URL says which. */
  port?: number;
  host?: string;
  /** An organisation to serve instead of the demo one. */
  seed?: SeedDocument;
  /** A seed JSON file to load (ignored when `seed` is given). */
  seedFile?: string;
  /**
   * Keeps the organisation in this file between runs: loaded at start when it exists (the seed
   * options then only say what a first run starts from), written at start and by `close()`,
   * atomically (docs/emulator-decisions.md, "State files").
   */
  stateFile?: string;
  /** Serve https with a self-signed certificate made at start (`caCertificate`), instead of http. */
  https?: boolean;
  /** What an impersonation header naming no user does: fail (default) or run as the caller. */
  unknownCaller?: UnknownCallerMode;
  /** Lifetime of issued access tokens in seconds (default 3600, as Entra ID's). */
  tokenLifetimeSeconds?: number;
  /** Service protection limits: the real ones by default, scaled by an object, off with `false`. */
  limits?: LimitsOption;
  /** Faults to inject into the Web API: SPEC text (docs/emulator-faults.md) or the same as an object. */
  faults?: FaultOptions;
  /**
   * Approve every device-code sign-in at once as this person (email, UPN or systemuserid); also the
   * person a browser sign-in (authorize endpoint) signs in as when its `login_hint` names nobody.
   */
  approveDeviceCodes?: string;
  /** Lifetime of device codes in seconds (default 900, as Entra ID's). */
  deviceCodeLifetimeSeconds?: number;
  /** Lifetime of authorization codes in seconds (default 600, as Entra ID's). */
  authorizationCodeLifetimeSeconds?: number;
  /**
   * Where every reading of time and every wait comes from: token lifetimes, sign-in code
   * lifetimes, the limits' window, injected latency, audit timestamps. Real time by default;
   * tests pass a clock they move by hand (test/helpers/test-clock.ts).
   */
  clock?: Clock;
}

/** A user of the served organisation, as `dvas emulator` lists it. */
export interface EmulatorIdentity {
  fullname: string;
  systemuserid: string;
  azureactivedirectoryobjectid: string | null;
  internalemailaddress: string;
  domainname: string;
  isdisabled: boolean;
  applicationid: string | null;
}

export interface RunningEmulator {
  /** The environment URL, e.g. http://127.0.0.1:54321 (the token audience, the `--url` of a profile). */
  url: string;
  /** The Web API base for v9.2, with a trailing slash. */
  apiUrl: string;
  /** With `https`: the self-signed certificate (PEM) the emulator serves, the one CA a client needs to trust. */
  caCertificate: string | undefined;
  tenantId: string;
  /** The domain names the tenant owns, the initial `<organisation>.onmicrosoft.com` first: each names the tenant in an authority URL as its id does. */
  tenantDomains: readonly string[];
  organizationId: string;
  users: EmulatorIdentity[];
  core: EmulatorCore;
  /**
   * Issues an access token as the emulator's authority would, for a user (email, domain name or
   * systemuserid) or an application user (its client id). For tests and the demo.
   */
  issueToken(who: string, options?: { lifetimeSeconds?: number; audience?: string }): string;
  /** `GET` it for the counters as JSON while the emulator runs. */
  statsUrl: string;
  /** `GET` (or `HEAD`) it for readiness: 200 `{"status":"ready"}` once the emulator serves. */
  healthUrl: string;
  /** The live counters: requests, rows created per table, faults injected, throttled responses. */
  stats: EmulatorStats;
  /** Every Web API request received (method, target, time), oldest first: the last 10,000. */
  requestLog: WebApiRequestLog;
  /** The limits in force, or undefined when they are off. */
  limits: ServiceProtectionLimits | undefined;
  /** The faults injected as SPEC text with the seed in use (replays the run), or undefined for none. */
  readonly faults: string | undefined;
  /**
   * Replaces the faults while the emulator runs (undefined: none), starting a fresh sequence from
   * the new seed; e.g. drop one create after its commit, then read it back without faults.
   */
  setFaults(faults: FaultOptions | undefined): void;
  /** The Entra-style sign-in authority (docs/emulator-authority.md): its URL, request log, device-code approval. */
  authority: EmulatorAuthority;
  /** The state file in use (`stateFile`), and whether this run loaded it (false: it started from the seed). */
  state: { file: string; loaded: boolean } | undefined;
  /** Writes the organisation as it stands to `path` (default: the state file), atomically. */
  saveState(path?: string): Promise<void>;
  /** Stops serving, then, with a state file, saves the organisation to it. */
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const state = options.stateFile === undefined ? undefined : await readStateFile(options.stateFile);
  const seed = state?.seed ?? options.seed ?? (options.seedFile ? await readSeedFile(options.seedFile) : demoSeed());
  const organization = loadSeed(seed, !state && !options.seed && options.seedFile ? { baseDir: dirname(options.seedFile) } : {});
  if (state) organization.store.restore(state.store);
  const stateSeed = selfContainedSeed(seed, organization.applications);
  const autoApproveUserId = options.approveDeviceCodes === undefined ? undefined : deviceCodeApprover(organization.store, options.approveDeviceCodes);
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const limits = resolveLimits(options.limits);
  let faults = faultInjector(options.faults);
  let core: EmulatorCore | undefined;
  let webApi: ServerHooks['webApi'] | undefined;
  const routes: RawRoute[] = [statsRoute(() => core)];
  const tls = options.https ? await makeLoopbackCertificate(host, clock.now()) : undefined;
  const server = createEmulatorServer({
    webApi: (request, raw, res) => {
      if (!webApi) throw new Error('Internal: request before the emulator was ready.');
      return webApi(request, raw, res);
    },
    routes,
  }, tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  const activeCore = new EmulatorCore(organization, url, {
    unknownCaller: options.unknownCaller ?? 'error',
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    clock,
  });
  core = activeCore;
  const authority = new EmulatorAuthority(activeCore, {
    deviceCodeLifetimeSeconds: options.deviceCodeLifetimeSeconds ?? 900,
    authorizationCodeLifetimeSeconds: options.authorizationCodeLifetimeSeconds ?? 600,
    ...(autoApproveUserId !== undefined ? { autoApproveUserId } : {}),
  });
  routes.push(authority.route);
  webApi = guardWebApi(activeCore, { protection: limits ? new ServiceProtection(limits, () => clock.now()) : undefined, faults: () => faults });
  // Last: a readiness check must not see 200 before everything above answers.
  routes.push(healthRoute);

  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const saveState = (path = options.stateFile) => {
    if (path === undefined) return Promise.reject(new Error('saveState() needs a path when the emulator has no stateFile.'));
    return writeStateFile(path, stateSeed, activeCore.store.snapshot(), new Date(clock.now()));
  };
  const stopServing = () =>
    new Promise<void>((resolve) => {
      activeCore.jobs.close();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  // Written at start too: a state file that cannot be written is found now, not when the data is lost.
  if (options.stateFile !== undefined) {
    try {
      await saveState();
    } catch (error) {
      await stopServing();
      throw new SeedError(`Cannot write the state file ${options.stateFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }

  return {
    url,
    apiUrl: `${url}/api/data/v9.2/`,
    caCertificate: tls?.cert,
    tenantId: activeCore.tenantId,
    tenantDomains: activeCore.tenantDomains,
    organizationId: activeCore.organizationId,
    users: identities(activeCore),
    core: activeCore,
    issueToken: (who, tokenOptions = {}) => issueTokenFor(activeCore, who, tokenOptions),
    statsUrl: `${url}${STATS_PATH}`,
    healthUrl: `${url}${HEALTH_PATH}`,
    stats: activeCore.stats,
    requestLog: activeCore.requestLog,
    limits,
    get faults() {
      return faults ? formatFaultSpec(faults.settings) : undefined;
    },
    setFaults: (next) => {
      faults = faultInjector(next);
    },
    authority,
    state: options.stateFile === undefined ? undefined : { file: options.stateFile, loaded: state !== undefined },
    saveState,
    close: async () => {
      // Nothing is served any more when the snapshot is taken, so no write can come after it.
      await stopServing();
      if (options.stateFile !== undefined) await saveState();
    },
  };
}

/** Undefined when nothing is to be injected, so that requests take the fast path. */
function faultInjector(options: FaultOptions | undefined): FaultInjector | undefined {
  if (options === undefined) return undefined;
  const settings = typeof options === 'string' ? parseFaultSpec(options) : validateFaults(options);
  return injectsFaults(settings) ? new FaultInjector(settings) : undefined;
}

async function readSeedFile(path: string): Promise<SeedDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SeedError(`Cannot read the seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    return JSON.parse(text) as SeedDocument;
  } catch (error) {
    throw new SeedError(`The seed file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
}

function identities(core: EmulatorCore): EmulatorIdentity[] {
  return [...core.store.rows('systemuser').values()].map((user) => ({
    fullname: String(user.fullname),
    systemuserid: String(user.systemuserid),
    azureactivedirectoryobjectid: typeof user.azureactivedirectoryobjectid === 'string' ? user.azureactivedirectoryobjectid : null,
    internalemailaddress: String(user.internalemailaddress),
    domainname: String(user.domainname),
    isdisabled: user.isdisabled === true,
    applicationid: typeof user.applicationid === 'string' ? user.applicationid : null,
  }));
}

/**
 * A token for a user (email, UPN or systemuserid) or an application user (its client id), with the
 * claims the authority's grants give: a person as signed in through Microsoft's sample public
 * client (dvas's default), an application as through client credentials.
 */
function issueTokenFor(core: EmulatorCore, who: string, options: { lifetimeSeconds?: number; audience?: string }): string {
  const user = userDirectory(core.store).find(who, { byApplicationId: true });
  if (!user) throw new Error(`The emulator has no user '${who}'.`);
  const objectId = typeof user.azureactivedirectoryobjectid === 'string' ? user.azureactivedirectoryobjectid : '';
  const grant = { audience: options.audience ?? core.origin, lifetimeSeconds: options.lifetimeSeconds ?? core.options.tokenLifetimeSeconds };
  if (typeof user.applicationid === 'string') {
    return core.tokens.issue(appTokenClaims(objectId, { ...grant, clientId: user.applicationid })).token;
  }
  const subject = { systemuserid: String(user.systemuserid), objectId, fullname: String(user.fullname), username: String(user.domainname) };
  return core.tokens.issue(userTokenClaims(subject, { ...grant, clientId: SAMPLE_PUBLIC_CLIENT_ID, scope: 'user_impersonation' })).token;
}
