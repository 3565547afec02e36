import { EMPTY_SNAPSHOT, type ProfilesSnapshot } from './schema.js';

/**
 * Where connection profiles are kept. `update` reads, applies a change (see changes.ts) and writes
 * the whole result, so a failed validation or a crash never leaves a half-written set.
 */
export interface ProfileStore {
  /** Where the profiles live, for messages: the file path, or "memory". */
  readonly location: string;
  read(): Promise<ProfilesSnapshot>;
  update(change: (current: ProfilesSnapshot) => ProfilesSnapshot): Promise<ProfilesSnapshot>;
}

/** A store that lives only as long as the process: for tests and for callers that must not touch disk. */
export class MemoryProfileStore implements ProfileStore {
  readonly location = 'memory';
  #snapshot: ProfilesSnapshot;

  constructor(initial: ProfilesSnapshot = EMPTY_SNAPSHOT) {
    this.#snapshot = initial;
  }

  async read(): Promise<ProfilesSnapshot> {
    return this.#snapshot;
  }

  async update(change: (current: ProfilesSnapshot) => ProfilesSnapshot): Promise<ProfilesSnapshot> {
    this.#snapshot = change(this.#snapshot);
    return this.#snapshot;
  }
}
