import type { ServerResponse } from 'node:http';
import type { EmulatorCore } from '../core.js';
import type { FaultInjector, FaultPlan } from '../faults/injector.js';
import { dispatch } from '../http/dispatch.js';
import { errors, type ODataError } from '../http/errors.js';
import { errorAnswer } from '../http/respond.js';
import type { ServerHooks } from '../http/server.js';
import type { EmulatorRequest, EmulatorResponse } from '../http/types.js';
import { REAL_LIMITS, type ServiceProtectionLimits } from './limits.js';
import type { ServiceProtection, UserUsage } from './service-protection.js';
import { limitsUserKey } from './user-key.js';

export interface WebApiGuards {
  /** Absent when the limits are off. */
  protection?: ServiceProtection | undefined;
  /** The faults in force, read per request so that they can be changed while the emulator runs. */
  faults(): FaultInjector | undefined;
}

/**
 * The Web API hook: the synchronous dispatcher wrapped in what takes time or fails on purpose.
 * All waiting happens out here, never inside a handler, so store transactions stay synchronous.
 * The order follows a request through the real service:
 *   dropBefore → service protection (429) → injected 429 / 503 → latency → dispatch (commit)
 *   → row latency → dropAfter → answer with the limits' headers.
 */
export function guardWebApi(core: EmulatorCore, guards: WebApiGuards): ServerHooks['webApi'] {
  const { protection } = guards;
  const limits = protection?.limits ?? REAL_LIMITS;
  const dopHint = String(limits.dopHint);
  return (request, _raw, res) => {
    core.stats.requests++;
    core.requestLog.record(request, new Date(core.clock.now()));
    const faults = guards.faults();
    if (!protection && !faults) {
      // Limits off and no faults (the benchmark's case): nothing but the dispatcher and one header.
      return withHeaders(dispatch(core, request), dopHint);
    }
    return guarded(request, res, faults);
  };

  async function guarded(request: EmulatorRequest, res: ServerResponse, faults: FaultInjector | undefined): Promise<EmulatorResponse | undefined> {
    const plan: FaultPlan = faults?.next() ?? { failure: undefined, latencyMs: 0 };
    if (plan.failure === 'dropBefore') {
      core.stats.faultsInjected.dropBefore++;
      drop(res);
      return undefined;
    }
    const userKey = protection ? limitsUserKey(core, request) : undefined;
    let usage: UserUsage | undefined;
    if (protection && userKey !== undefined) {
      const admission = protection.admit(userKey);
      if (!admission.admitted) {
        core.stats.throttled[admission.kind]++;
        return withHeaders(refusal(admission.error, request), dopHint);
      }
      usage = admission.usage;
    }
    const started = core.clock.now();
    try {
      const response = await carryOut({ core, faults, limits }, request, plan, res);
      if (response) {
        withHeaders(response, dopHint);
        if (protection && usage) Object.assign(response.headers, protection.remainingHeaders(usage));
      }
      return response;
    } finally {
      if (protection && usage) protection.finish(usage, core.clock.now() - started);
    }
  }
}

/** The part of a request that counts as its execution time: injected failures, waits and the dispatch itself. */
async function carryOut(
  { core, faults, limits }: { core: EmulatorCore; faults: FaultInjector | undefined; limits: Readonly<ServiceProtectionLimits> },
  request: EmulatorRequest,
  plan: FaultPlan,
  res: ServerResponse,
): Promise<EmulatorResponse | undefined> {
  if (plan.failure === 'throttle' && faults) {
    core.stats.faultsInjected.throttle++;
    // Shaped exactly as the real burst-limit 429, with the numbers of the limits in force.
    const error = errors.requestLimitExceeded(limits.requests, limits.windowSeconds, faults.settings.retryAfterSeconds);
    return refusal(error, request);
  }
  if (plan.failure === 'unavailable') {
    core.stats.faultsInjected.unavailable++;
    return refusal(errors.serviceUnavailable(), request);
  }
  if (plan.latencyMs > 0) {
    core.stats.faultsInjected.latency++;
    await core.clock.sleep(plan.latencyMs);
  }
  const rowLatencyMs = faults?.settings.rowLatencyMs ?? 0;
  const rowsBefore = rowLatencyMs > 0 ? totalRowsCreated(core) : 0;
  const response = dispatch(core, request);
  // Dispatch is synchronous, so the difference is exactly what this request created.
  const rowsCreated = rowLatencyMs > 0 ? totalRowsCreated(core) - rowsBefore : 0;
  if (rowsCreated > 0) await core.clock.sleep(rowsCreated * rowLatencyMs);
  if (plan.failure === 'dropAfter') {
    core.stats.faultsInjected.dropAfter++;
    drop(res);
    return undefined;
  }
  return response;
}

/** An error answered before (or instead of) dispatch. */
function refusal(error: ODataError, request: EmulatorRequest): EmulatorResponse {
  return errorAnswer(error, request.headers.prefer);
}

function withHeaders(response: EmulatorResponse, dopHint: string): EmulatorResponse {
  response.headers['x-ms-dop-hint'] = dopHint;
  return response;
}

/** Closes the connection without a byte of answer: the client sees a reset / "socket hang up". */
function drop(res: ServerResponse): void {
  res.destroy();
}

function totalRowsCreated(core: EmulatorCore): number {
  let total = 0;
  for (const count of Object.values(core.stats.rowsCreated)) total += count;
  return total;
}
