import type { ThrottleKind } from './service-protection.js';

/** How many 429s each service protection limit has answered. */
export type ThrottleCounts = Record<ThrottleKind, number>;

export function noThrottleCounts(): ThrottleCounts {
  return { requests: 0, executionTime: 0, concurrency: 0 };
}
