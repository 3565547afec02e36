// The public types of `import { startEmulator } from 'dvas/emulator'` (package.json "exports").
//
// Written by hand, not generated: emitting declarations with tsc means type-checking the whole
// emulator on every `npm run build`, twenty times the cost of the bundle itself. It cannot drift
// from the code: test/contract/emulator-declaration.ts, part of `npm run typecheck`, checks that
// every option declared here is one startEmulator accepts and that what it returns has every
// member declared here. What is left out (the emulator's internals) is not part of the contract.

/** Where every reading of time and every wait comes from (real time by default). */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The seed document: an organisation for the emulator to serve (docs/emulator-seed.md). */
export interface SeedDocument {
  organization?: { name?: string; id?: string; tenantId?: string };
  businessUnits?: SeedBusinessUnit[];
  roles?: SeedRole[];
  users?: SeedUser[];
  teams?: SeedTeam[];
  tables?: SeedTable[];
  keys?: SeedKey[];
  /** Rows by table logical name. */
  rows?: Record<string, SeedRow[]>;
  shares?: SeedShare[];
}

export interface SeedShare {
  table: string;
  name: string;
  with: string;
  rights: string[];
}

export interface SeedBusinessUnit {
  name: string;
  id?: string;
  parent?: string;
}

export type SeedDepth = 'Basic' | 'Local' | 'Deep' | 'Global';

export interface SeedRole {
  name: string;
  id?: string;
  businessUnit?: string;
  privileges: Record<string, SeedDepth>;
}

export interface SeedUser {
  fullname: string;
  email: string;
  id?: string;
  domainname?: string;
  objectId?: string | null;
  businessUnit?: string;
  roles?: string[];
  disabled?: boolean;
  accessMode?: number;
  title?: string;
  application?: SeedApplication;
}

export interface SeedApplication {
  clientId: string;
  clientSecret?: string;
  certificate?: string;
  federatedSubjects?: string[];
}

export interface SeedTeam {
  name: string;
  id?: string;
  businessUnit?: string;
  members?: string[];
  roles?: string[];
  teamType?: number;
}

export type SeedColumnType =
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'BigInt'
  | 'Decimal'
  | 'Double'
  | 'Money'
  | 'Boolean'
  | 'DateTime'
  | 'Lookup'
  | 'Picklist'
  | 'Uniqueidentifier';

export interface SeedTable {
  logicalName: string;
  displayName?: string;
  displayCollectionName?: string;
  entitySetName?: string;
  schemaName?: string;
  primaryIdAttribute?: string;
  primaryNameAttribute?: string;
  objectTypeCode?: number;
  ownership?: 'UserOwned' | 'OrganizationOwned';
  supportsCreateMultiple?: boolean;
  columns: SeedColumn[];
}

export interface SeedKey {
  table: string;
  name: string;
  displayName?: string;
  columns: string[];
}

export interface SeedColumn {
  name: string;
  type: SeedColumnType;
  displayName?: string;
  maxLength?: number;
  targets?: string[];
  options?: Record<string, string>;
}

export type SeedRow = Record<string, unknown> & { $owner?: string };

/** The service protection limits, per user over a sliding window. */
export interface ServiceProtectionLimits {
  requests: number;
  windowSeconds: number;
  executionMs: number;
  concurrency: number;
  dopHint: number;
}

/** `false` turns the limits off; an object overrides some of the real ones. */
export type LimitsOption = Partial<ServiceProtectionLimits> | false;

export type FailureKind = 'throttle' | 'unavailable' | 'dropBefore' | 'dropAfter';

/** Faults to inject: SPEC text (docs/emulator-faults.md), e.g. 'throttle=0.1,seed=42', or the same as an object. */
export type FaultOptions =
  | string
  | {
      latencyMs?: { min: number; max: number };
      rowLatencyMs?: number;
      fractions?: Partial<Record<FailureKind, number>>;
      retryAfterSeconds?: number;
      seed?: number;
    };

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
   * options then only say what a first run starts from), written at start and by `close()`, atomically.
   */
  stateFile?: string;
  /** Serve https with a self-signed certificate made at start (`caCertificate`), instead of http. */
  https?: boolean;
  /** What an impersonation header naming no user does: fail (default) or run as the caller. */
  unknownCaller?: 'error' | 'ignore';
  /** Lifetime of issued access tokens in seconds (default 3600). */
  tokenLifetimeSeconds?: number;
  /** Service protection limits: the real ones by default, scaled by an object, off with `false`. */
  limits?: LimitsOption;
  faults?: FaultOptions;
  /** Approve every device-code sign-in at once as this person (email, UPN or systemuserid). */
  approveDeviceCodes?: string;
  deviceCodeLifetimeSeconds?: number;
  authorizationCodeLifetimeSeconds?: number;
  clock?: Clock;
}

/** A user of the served organisation. */
export interface EmulatorIdentity {
  fullname: string;
  systemuserid: string;
  azureactivedirectoryobjectid: string | null;
  internalemailaddress: string;
  domainname: string;
  isdisabled: boolean;
  applicationid: string | null;
}

export interface EmulatorStats {
  requests: number;
  rowsCreated: Record<string, number>;
  faultsInjected: Record<'latency' | FailureKind, number>;
  throttled: Record<'requests' | 'executionTime' | 'concurrency', number>;
}

export interface WebApiLogEntry {
  method: string;
  target: string;
  at: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** The Entra-style sign-in authority (docs/emulator-authority.md). */
export interface EmulatorAuthority {
  /** The authority URL, `<emulator url>/<tenant id>`. */
  readonly url: string;
  /** The issuer of its tokens, `<authority url>/v2.0`. */
  readonly issuer: string;
  /** Approves a pending device-code sign-in as this person (email, UPN or systemuserid). */
  approveDeviceCode(userCode: string, who: string): unknown;
  /** A workload-identity token for a federated subject, as a CI system's identity provider would issue. */
  mintFederatedToken(subject: string, options?: { audience?: string; lifetimeSeconds?: number }): Promise<string>;
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
  /** An access token as the emulator's authority would issue it, for a user (email, UPN, systemuserid) or an application user (client id). */
  issueToken(who: string, options?: { lifetimeSeconds?: number; audience?: string }): string;
  /** `GET` it for the counters as JSON. */
  statsUrl: string;
  /** `GET` (or `HEAD`) it for readiness: 200 `{"status":"ready"}` once the emulator serves. */
  healthUrl: string;
  stats: EmulatorStats;
  /** The Web API requests received, oldest first: the last 10,000, fewer when their bodies pass 32 MiB in all. */
  requestLog: { readonly entries: readonly WebApiLogEntry[] };
  /** The limits in force, or undefined when they are off. */
  limits: ServiceProtectionLimits | undefined;
  /** The faults injected as SPEC text, with the seed in use, or undefined for none. */
  readonly faults: string | undefined;
  /** Replaces the faults while the emulator runs (undefined: none). */
  setFaults(faults: FaultOptions | undefined): void;
  authority: EmulatorAuthority;
  /** The state file in use (`stateFile`), and whether this run loaded it (false: it started from the seed). */
  state: { file: string; loaded: boolean } | undefined;
  /** Writes the organisation as it stands to `path` (default: the state file), atomically. */
  saveState(path?: string): Promise<void>;
  /** Stops listening, drops open connections, then, with a state file, saves the organisation to it. */
  close(): Promise<void>;
}

/** Starts an emulator of the Dataverse Web API and its sign-in authority on this machine. */
export function startEmulator(options?: StartEmulatorOptions): Promise<RunningEmulator>;

/** The msal-node `auth` options that point an unmodified msal-node at the emulator's authority. */
export function emulatorMsalAuthority(url: string, tenantId: string): { authority: string; knownAuthorities: string[]; authorityMetadata: string };

/** The demo organisation's application user. */
export const DEMO_APP: { readonly clientId: string; readonly clientSecret: string; readonly email: string };

/** A seed that cannot be served; the message says what is wrong in one sentence. */
export class SeedError extends Error {
  constructor(message: string);
}

/** A fault spec that cannot be used; the message says what is wrong in one sentence. */
export class FaultSpecError extends Error {
  constructor(message: string);
}
