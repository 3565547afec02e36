/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every machine
 * and Node version, which Math.random cannot promise. Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seed for runs that named none; reported back so the run can be replayed. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 4_294_967_296);
}
