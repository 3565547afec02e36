import type { FailureKind } from './spec.js';

/** How many requests got each fault: `latency` counts requests held back, the rest their failure. */
export type FaultCounts = Record<'latency' | FailureKind, number>;

export function noFaultCounts(): FaultCounts {
  return { latency: 0, throttle: 0, unavailable: 0, dropBefore: 0, dropAfter: 0 };
}
