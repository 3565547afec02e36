import { freshSeed, seededRandom } from './random.js';
import { FAILURE_KINDS, type FailureKind, type FaultSettings } from './spec.js';

/** What happens to one request: at most one failure, and how long to hold it first. */
export interface FaultPlan {
  failure: FailureKind | undefined;
  latencyMs: number;
}

/**
 * Decides, request by request in arrival order, which faults to inject. Every request consumes
 * exactly two draws (failure, latency) whatever the outcome, so one seed always gives one sequence.
 */
export class FaultInjector {
  readonly settings: FaultSettings & { seed: number };
  private readonly random: () => number;

  constructor(settings: FaultSettings) {
    this.settings = { ...settings, seed: settings.seed ?? freshSeed() };
    this.random = seededRandom(this.settings.seed);
  }

  next(): FaultPlan {
    const failureDraw = this.random();
    const latencyDraw = this.random();
    const { min, max } = this.settings.latencyMs;
    return { failure: this.failureFor(failureDraw), latencyMs: min + (max - min) * latencyDraw };
  }

  /** The failure kinds share [0, 1) in a fixed order, each taking its fraction. */
  private failureFor(draw: number): FailureKind | undefined {
    let upper = 0;
    for (const kind of FAILURE_KINDS) {
      upper += this.settings.fractions[kind];
      if (draw < upper) return kind;
    }
    return undefined;
  }
}
