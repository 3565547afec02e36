/**
 * The fault-injection settings and their text form (`--faults SPEC`), documented in
 * docs/emulator-faults.md:
 *
 *   SPEC     := ITEM ("," ITEM)*          e.g. throttle=0.1,dropAfter=0.05,latency=20ms,seed=42
 *   latency    = DURATION | DURATION "-" DURATION     per request (a range draws uniformly)
 *   rowLatency = DURATION                              per created row
 *   throttle | unavailable | dropBefore | dropAfter = FRACTION (0 to 1; together at most 1)
 *   retryAfter = whole seconds, the Retry-After of an injected 429 (default 1)
 *   seed       = whole number from 0 to 4294967295
 *   DURATION := NUMBER ("ms" | "s")
 */

/** The kinds of failure a request can be given; at most one per request. */
export const FAILURE_KINDS = ['throttle', 'unavailable', 'dropBefore', 'dropAfter'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface FaultSettings {
  /** Per-request latency, drawn uniformly from [min, max] milliseconds. */
  latencyMs: { min: number; max: number };
  /** Milliseconds added to the answer per row the request created (the service's own work). */
  rowLatencyMs: number;
  /** The fraction of requests given each kind of failure. */
  fractions: Record<FailureKind, number>;
  /** Retry-After (seconds) of an injected 429. */
  retryAfterSeconds: number;
  /** The seed of the fault sequence; absent means a fresh one, reported so a run can be replayed. */
  seed?: number;
}

/** What `startEmulator({ faults })` accepts: the SPEC text, or the same settings as an object. */
export type FaultOptions = string | Partial<Omit<FaultSettings, 'fractions'> & { fractions: Partial<Record<FailureKind, number>> }>;

/** A fault spec that cannot be used; the message is one sentence saying what is wrong. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;
const MAX_SEED = 0xffff_ffff;
const KEYS = ['latency', 'rowLatency', ...FAILURE_KINDS, 'retryAfter', 'seed'] as const;
type Key = (typeof KEYS)[number];

function isKey(name: string): name is Key {
  return (KEYS as readonly string[]).includes(name);
}

/** Parses SPEC text; an empty spec means no faults. Throws FaultSpecError for anything else. */
export function parseFaultSpec(spec: string): FaultSettings {
  const settings = noFaults();
  const seen = new Set<Key>();
  for (const rawItem of spec.split(',')) {
    const item = rawItem.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const name = (eq === -1 ? item : item.slice(0, eq)).trim();
    const value = eq === -1 ? '' : item.slice(eq + 1).trim();
    if (!isKey(name)) {
      throw new FaultSpecError(`The fault spec item '${item}' names no fault setting; use ${KEYS.join(', ')}.`);
    }
    if (eq === -1 || !value) throw new FaultSpecError(`The fault spec item '${item}' needs a value, as in ${example(name)}.`);
    if (seen.has(name)) throw new FaultSpecError(`The fault spec names '${name}' more than once.`);
    seen.add(name);
    applyItem(settings, name, value);
  }
  return validateFaults(settings);
}

function applyItem(settings: FaultSettings, name: Key, value: string): void {
  switch (name) {
    case 'latency': {
      const range = /^([^-]+)-([^-]+)$/.exec(value);
      const min = duration(range ? (range[1] as string) : value, name);
      const max = range ? duration(range[2] as string, name) : min;
      settings.latencyMs = { min, max };
      return;
    }
    case 'rowLatency':
      settings.rowLatencyMs = duration(value, name);
      return;
    case 'retryAfter':
      settings.retryAfterSeconds = wholeNumber(value, name, 'a whole number of seconds');
      return;
    case 'seed':
      settings.seed = wholeNumber(value, name, `a whole number from 0 to ${MAX_SEED}`);
      return;
    default:
      settings.fractions[name] = fraction(value, name);
  }
}

/** Fills in defaults and checks ranges: the one validation both the text and the object form go through. */
export function validateFaults(options: Exclude<FaultOptions, string>): FaultSettings {
  const settings = noFaults();
  if (options.latencyMs) settings.latencyMs = { ...options.latencyMs };
  if (options.rowLatencyMs !== undefined) settings.rowLatencyMs = options.rowLatencyMs;
  if (options.retryAfterSeconds !== undefined) settings.retryAfterSeconds = options.retryAfterSeconds;
  if (options.seed !== undefined) settings.seed = options.seed;
  for (const kind of FAILURE_KINDS) settings.fractions[kind] = options.fractions?.[kind] ?? 0;

  const { min, max } = settings.latencyMs;
  if (!isNonNegative(min) || !isNonNegative(max)) throw new FaultSpecError('The fault latency must be zero or more milliseconds.');
  if (min > max) throw new FaultSpecError(`The fault latency range ${min}ms-${max}ms runs backwards; put the smaller bound first.`);
  if (!isNonNegative(settings.rowLatencyMs)) throw new FaultSpecError('The fault rowLatency must be zero or more milliseconds.');
  if (!Number.isInteger(settings.retryAfterSeconds) || settings.retryAfterSeconds < 0) {
    throw new FaultSpecError('The fault retryAfter must be a whole number of seconds.');
  }
  if (settings.seed !== undefined && (!Number.isInteger(settings.seed) || settings.seed < 0 || settings.seed > MAX_SEED)) {
    throw new FaultSpecError(`The fault seed must be a whole number from 0 to ${MAX_SEED}.`);
  }
  let total = 0;
  for (const kind of FAILURE_KINDS) {
    const share = settings.fractions[kind];
    if (!isNonNegative(share) || share > 1) throw new FaultSpecError(`The fault '${kind}' takes a fraction from 0 to 1, not ${share}.`);
    total += share;
  }
  // Each request gets at most one failure, so the shares split one draw between them.
  if (total > 1 + 1e-9) throw new FaultSpecError(`The fault fractions add up to ${round(total)}; together they must be at most 1.`);
  return settings;
}

/** The settings back as SPEC text (with the seed in use), so a run can be reproduced exactly. */
export function formatFaultSpec(settings: FaultSettings): string {
  const items: string[] = [];
  const { min, max } = settings.latencyMs;
  if (max > 0) items.push(`latency=${min === max ? `${min}ms` : `${min}ms-${max}ms`}`);
  if (settings.rowLatencyMs > 0) items.push(`rowLatency=${settings.rowLatencyMs}ms`);
  for (const kind of FAILURE_KINDS) if (settings.fractions[kind] > 0) items.push(`${kind}=${settings.fractions[kind]}`);
  if (settings.retryAfterSeconds !== DEFAULT_RETRY_AFTER_SECONDS) items.push(`retryAfter=${settings.retryAfterSeconds}`);
  if (settings.seed !== undefined) items.push(`seed=${settings.seed}`);
  return items.join(',');
}

/** Whether the settings inject anything at all (an all-zero spec costs requests nothing). */
export function injectsFaults(settings: FaultSettings): boolean {
  return settings.latencyMs.max > 0 || settings.rowLatencyMs > 0 || FAILURE_KINDS.some((kind) => settings.fractions[kind] > 0);
}

function noFaults(): FaultSettings {
  return {
    latencyMs: { min: 0, max: 0 },
    rowLatencyMs: 0,
    fractions: { throttle: 0, unavailable: 0, dropBefore: 0, dropAfter: 0 },
    retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
  };
}

const NUMBER = '(\\d+(?:\\.\\d+)?|\\.\\d+)';
const DURATION = new RegExp(`^${NUMBER}\\s*(ms|s)$`);
const FRACTION = new RegExp(`^${NUMBER}$`);

function duration(text: string, name: Key): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new FaultSpecError(`The fault '${name}' takes a duration such as 20ms or 1.5s, not '${text.trim()}'.`);
  const amount = Number(match[1]);
  return match[2] === 's' ? amount * 1000 : amount;
}

function fraction(text: string, name: Key): number {
  const share = FRACTION.test(text) ? Number(text) : Number.NaN;
  if (!(share >= 0 && share <= 1)) throw new FaultSpecError(`The fault '${name}' takes a fraction from 0 to 1, not '${text}'.`);
  return share;
}

function wholeNumber(text: string, name: Key, expected: string): number {
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || (name === 'seed' && number > MAX_SEED)) {
    throw new FaultSpecError(`The fault '${name}' takes ${expected}, not '${text}'.`);
  }
  return number;
}

function example(name: Key): string {
  if (name === 'latency') return 'latency=20ms or latency=10ms-50ms';
  if (name === 'rowLatency') return 'rowLatency=0.2ms';
  if (name === 'retryAfter') return 'retryAfter=2';
  if (name === 'seed') return 'seed=42';
  return `${name}=0.1`;
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
