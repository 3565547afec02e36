import { SeedError } from './seed-error.js';
import type { SeedDocument } from './types.js';

const SEED_KEYS: readonly string[] = ['organization', 'businessUnits', 'roles', 'users', 'teams', 'tables', 'keys', 'rows', 'shares'];

/** The top-level collections must be what the format says, so a hand-edited seed fails with a sentence, not a TypeError. */
export function requireShape(seed: SeedDocument): void {
  // An unknown key is most likely a misspelt one ("user" for "users"): loading on would silently serve less.
  const unknown = Object.keys(seed).find((key) => !SEED_KEYS.includes(key));
  if (unknown !== undefined) throw new SeedError(`The seed has an unknown key '${unknown}'; the keys are ${SEED_KEYS.join(', ')}.`);
  for (const key of ['businessUnits', 'roles', 'users', 'teams', 'tables', 'keys', 'shares'] as const) {
    const value: unknown = seed[key];
    if (value !== undefined && !Array.isArray(value)) throw new SeedError(`The seed's "${key}" must be an array.`);
    if (Array.isArray(value) && value.some((item: unknown) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new SeedError(`Every item of the seed's "${key}" must be an object.`);
    }
  }
  const rows: unknown = seed.rows;
  if (rows !== undefined && (typeof rows !== 'object' || rows === null || Array.isArray(rows))) {
    throw new SeedError('The seed\'s "rows" must be an object of table names to arrays of rows.');
  }
}
