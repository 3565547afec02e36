import type { ProfilesSnapshot } from './schema.js';
import type { Profile } from './types.js';

/**
 * Changes to the set of profiles, as pure functions on a snapshot: a store reads, applies one and
 * writes the whole result, so every store (file, memory) behaves the same.
 */

/** Adds or replaces a profile. The first profile becomes the default, as does one saved with makeDefault. */
export function withProfile(snapshot: ProfilesSnapshot, profile: Profile, options: { makeDefault?: boolean } = {}): ProfilesSnapshot {
  const profiles = new Map(snapshot.profiles);
  profiles.set(profile.name, profile);
  const becomesDefault = options.makeDefault === true || snapshot.defaultName === undefined;
  return { profiles, defaultName: becomesDefault ? profile.name : snapshot.defaultName };
}

/** Makes an existing profile the default (the caller has checked that it exists). */
export function withDefault(snapshot: ProfilesSnapshot, name: string): ProfilesSnapshot {
  return { profiles: snapshot.profiles, defaultName: snapshot.profiles.has(name) ? name : snapshot.defaultName };
}

/**
 * Removes a profile. Removing the default leaves no default, unless exactly one profile is left:
 * then there is only one sensible choice.
 */
export function withoutProfile(snapshot: ProfilesSnapshot, name: string): ProfilesSnapshot {
  const profiles = new Map(snapshot.profiles);
  profiles.delete(name);
  if (snapshot.defaultName !== name) return { profiles, defaultName: snapshot.defaultName };
  const [only, ...others] = profiles.keys();
  return { profiles, defaultName: others.length === 0 ? only : undefined };
}
