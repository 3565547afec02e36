import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../../config/atomic-write.js';
import type { ApplicationRegistration } from '../seed/principals.js';
import { SeedError } from '../seed/seed-error.js';
import type { SeedDocument } from '../seed/types.js';
import type { StoreSnapshot } from '../store/store.js';

/** What marks a file as an emulator state file, and the version of its layout. */
const FORMAT = 'dvas-emulator-state';
const VERSION = 1;

/**
 * An organisation as `--state FILE` keeps it between two runs (docs/emulator-decisions.md, "State
 * files"): the seed it was loaded from, which gives the table definitions, the principals' ids and
 * the applications' credentials again, and the store as it stood at exit, which replaces what the
 * seed's rows would give.
 */
export interface EmulatorState {
  format: typeof FORMAT;
  version: typeof VERSION;
  savedAt: string;
  seed: SeedDocument;
  store: StoreSnapshot;
}

/** The state saved at `path`, or undefined when there is no file yet. Throws a SeedError for a file that is not one. */
export async function readStateFile(path: string): Promise<EmulatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new SeedError(`Cannot read the state file ${path}: ${code ?? (error as Error).message}.`);
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`The state file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isState(state)) {
    throw new SeedError(`The file ${path} is not a dvas emulator state file (version ${VERSION}): it needs "format": "${FORMAT}", a seed and a store.`);
  }
  return state;
}

export async function writeStateFile(path: string, seed: SeedDocument, store: StoreSnapshot, at: Date): Promise<void> {
  const state: EmulatorState = { format: FORMAT, version: VERSION, savedAt: at.toISOString(), seed, store };
  await writeFileAtomically(path, `${JSON.stringify(state)}\n`);
}

/**
 * The seed with each application's certificate as the PEM text the loader read, not a path: a
 * state file is read from wherever it is, without the seed file's directory beside it.
 */
export function selfContainedSeed(seed: SeedDocument, applications: readonly ApplicationRegistration[]): SeedDocument {
  const certificates = new Map(applications.flatMap((application) => (application.certificate ? [[application.clientId, application.certificate] as const] : [])));
  return {
    ...seed,
    ...(seed.users
      ? {
          users: seed.users.map((user) => {
            const certificate = user.application && certificates.get(user.application.clientId);
            return certificate && user.application ? { ...user, application: { ...user.application, certificate } } : user;
          }),
        }
      : {}),
  };
}

function isState(value: unknown): value is EmulatorState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<EmulatorState>;
  const store = state.store as Partial<StoreSnapshot> | undefined;
  return (
    state.format === FORMAT &&
    state.version === VERSION &&
    typeof state.seed === 'object' &&
    state.seed !== null &&
    typeof store === 'object' &&
    store !== null &&
    typeof store.version === 'number' &&
    typeof store.tables === 'object' &&
    store.tables !== null &&
    typeof store.associations === 'object' &&
    store.associations !== null
  );
}
