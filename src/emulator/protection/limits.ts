/**
 * The service protection limits (docs/dataverse-web-api.md §6.3), per user over a sliding window. The
 * defaults are the real service's; tests scale them down so that they trip in a second or two.
 */
export interface ServiceProtectionLimits {
  /** Requests per window (real: 6,000). */
  requests: number;
  /** The sliding window in seconds (real: 300). */
  windowSeconds: number;
  /** Combined execution time per window in milliseconds (real: 1,200,000). */
  executionMs: number;
  /** Requests in flight at once (real: 52). */
  concurrency: number;
  /** The recommended parallelism every response advertises in `x-ms-dop-hint`. */
  dopHint: number;
}

export const REAL_LIMITS: Readonly<ServiceProtectionLimits> = {
  requests: 6000,
  windowSeconds: 300,
  executionMs: 1_200_000,
  concurrency: 52,
  dopHint: 4,
};

/** `false` turns the limits off; an object overrides some of the real ones. */
export type LimitsOption = Partial<ServiceProtectionLimits> | false;

/** The limits in force, or undefined when they are off. Throws RangeError for a limit that is not a positive whole number. */
export function resolveLimits(option: LimitsOption | undefined): ServiceProtectionLimits | undefined {
  if (option === false) return undefined;
  const limits = { ...REAL_LIMITS, ...option };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`The service protection limit '${name}' must be a whole number of 1 or more, not ${value}.`);
    }
  }
  return limits;
}
