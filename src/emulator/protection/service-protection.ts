import { errors, type ODataError } from '../http/errors.js';
import type { ServiceProtectionLimits } from './limits.js';
import { UsageWindow } from './usage-window.js';

/** Which limit answered a request with 429. */
export type ThrottleKind = 'requests' | 'executionTime' | 'concurrency';

export interface UserUsage {
  readonly window: UsageWindow;
  inFlight: number;
}

export type Admission = { admitted: true; usage: UserUsage } | { admitted: false; kind: ThrottleKind; error: ODataError };

/**
 * A concurrency rejection has no window to wait out; the real service sends a short
 * Retry-After, and one second is the shortest the header can say.
 */
const CONCURRENCY_RETRY_AFTER_SECONDS = 1;

/**
 * The service protection limits of docs/dataverse-web-api.md §6.3, per user: a request is admitted or refused
 * with the real 429 before it runs, and its execution time is recorded once it has been answered.
 * Every request a user sends counts in the window, refused ones too, so a client that keeps
 * sending while throttled pushes its own Retry-After further out, as the real service does.
 */
export class ServiceProtection {
  private readonly users = new Map<string, UserUsage>();
  private readonly windowMs: number;

  constructor(
    readonly limits: ServiceProtectionLimits,
    /** Milliseconds, from the emulator's clock (startEmulator's `clock`). */
    private readonly now: () => number,
  ) {
    this.windowMs = limits.windowSeconds * 1000;
  }

  admit(userKey: string): Admission {
    const usage = this.usageOf(userKey);
    const now = this.now();
    const { window } = usage;
    const earlierRequests = window.requests(now);
    window.addRequest(now);
    if (earlierRequests >= this.limits.requests) {
      const waitMs = window.msUntilRequestsBelow(this.limits.requests, now);
      return this.refuse('requests', errors.requestLimitExceeded(this.limits.requests, this.limits.windowSeconds, seconds(waitMs)));
    }
    if (window.executionMs(now) > this.limits.executionMs) {
      const waitMs = window.msUntilExecutionAtMost(this.limits.executionMs, now);
      return this.refuse('executionTime', errors.executionTimeExceeded(this.limits.executionMs, this.limits.windowSeconds, seconds(waitMs)));
    }
    if (usage.inFlight >= this.limits.concurrency) {
      return this.refuse('concurrency', errors.concurrencyLimitExceeded(this.limits.concurrency, CONCURRENCY_RETRY_AFTER_SECONDS));
    }
    usage.inFlight++;
    return { admitted: true, usage };
  }

  /** An admitted request has been answered (or dropped): it stops counting as concurrent and its time is charged. */
  finish(usage: UserUsage, executionMs: number): void {
    usage.inFlight--;
    usage.window.addExecution(this.now(), executionMs);
  }

  /** The debug headers the service sends: what is left of the window's requests and execution time. */
  remainingHeaders(usage: UserUsage): Record<string, string> {
    const now = this.now();
    const requestsLeft = Math.max(0, this.limits.requests - usage.window.requests(now));
    const secondsLeft = Math.max(0, this.limits.executionMs - usage.window.executionMs(now)) / 1000;
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(requestsLeft),
      'x-ms-ratelimit-time-remaining-xrm-requests': secondsLeft.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    };
  }

  private usageOf(userKey: string): UserUsage {
    let usage = this.users.get(userKey);
    if (!usage) {
      usage = { window: new UsageWindow(this.windowMs), inFlight: 0 };
      this.users.set(userKey, usage);
    }
    return usage;
  }

  private refuse(kind: ThrottleKind, error: ODataError): Admission {
    return { admitted: false, kind, error };
  }
}

/** Retry-After is whole seconds; round up so that a client waiting it out is admitted. */
function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}
