import type { Clock } from '../clock/clock.js';
import { TokenService } from './auth/tokens.js';
import { noFaultCounts, type FaultCounts } from './faults/counts.js';
import { WebApiRequestLog } from './http/web-api-log.js';
import { BackgroundJobs } from './jobs/background-jobs.js';
import type { MetadataRegistry } from './metadata/registry.js';
import { noThrottleCounts, type ThrottleCounts } from './protection/counts.js';
import type { UnknownCallerMode } from './security/impersonation.js';
import { SecurityModel } from './security/model.js';
import { tenantDomains } from './authority/tenant.js';
import type { ApplicationRegistration, LoadedOrganization } from './seed/load.js';
import type { Store } from './store/store.js';

export interface CoreOptions {
  unknownCaller: UnknownCallerMode;
  /** Lifetime of the access tokens the emulator issues, in seconds. */
  tokenLifetimeSeconds: number;
  /** Where every reading of time and every wait of this emulator comes from (src/clock/clock.ts). */
  clock: Clock;
}

/** Counters that tests, benchmarks and `GET /_emulator/stats` read. */
export interface EmulatorStats {
  /** Web API requests received, including those throttled, failed or dropped on purpose. */
  requests: number;
  rowsCreated: Record<string, number>;
  /** Faults injected, per kind (docs/emulator-faults.md). */
  faultsInjected: FaultCounts;
  /** 429s answered by the service protection limits, per limit. */
  throttled: ThrottleCounts;
}

/**
 * Everything one emulator instance knows: the organisation (metadata + store), its security
 * model, the token service, and where it listens. Handlers receive it through the request context.
 */
export class EmulatorCore {
  readonly metadata: MetadataRegistry;
  readonly store: Store;
  readonly security: SecurityModel;
  readonly tokens: TokenService;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly tenantId: string;
  /** The domain names the tenant owns (authority/tenant.ts): accepted for the tenant id in authority paths. */
  readonly tenantDomains: readonly string[];
  readonly rootBusinessUnitId: string;
  readonly applications: readonly ApplicationRegistration[];
  /** System jobs (BulkDelete) running in the background, off the requests that submitted them. */
  readonly jobs: BackgroundJobs;
  readonly stats: EmulatorStats = { requests: 0, rowsCreated: {}, faultsInjected: noFaultCounts(), throttled: noThrottleCounts() };
  /** Every Web API request received, oldest first (the last 10,000). */
  readonly requestLog = new WebApiRequestLog();

  constructor(
    organization: LoadedOrganization,
    /** The environment URL, e.g. http://127.0.0.1:5555 (what tokens are issued for). */
    readonly origin: string,
    readonly options: CoreOptions,
  ) {
    this.metadata = organization.metadata;
    this.store = organization.store;
    this.organizationId = organization.organizationId;
    this.organizationName = organization.organizationName;
    this.tenantId = organization.tenantId;
    this.tenantDomains = tenantDomains(organization.organizationName, organization.store);
    this.rootBusinessUnitId = organization.rootBusinessUnitId;
    this.applications = organization.applications;
    this.security = new SecurityModel(this.store);
    this.tokens = new TokenService(`${origin}/${this.tenantId}/v2.0`, this.tenantId, undefined, () => options.clock.now());
    this.jobs = new BackgroundJobs(options.clock);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Where the Entra-style authority of this emulator lives (the bearer challenge points here). */
  get authorityUrl(): string {
    return `${this.origin}/${this.tenantId}`;
  }

  countCreated(table: string, rows: number): void {
    this.stats.rowsCreated[table] = (this.stats.rowsCreated[table] ?? 0) + rows;
  }
}
