import { ConfigError } from '../errors.js';
import { profileFromEnvironment } from './from-environment.js';
import type { ProfilesSnapshot } from './schema.js';
import type { Profile } from './types.js';
import { type Checked } from './validate.js';
import { closestMatches } from '../help/closest.js';
import { quote, terminalSafe } from '../output/terminal-text.js';

/** Where the profile in use came from: shown by `profile show`, useful when CI picks the wrong one. */
export type ProfileSource = '--profile' | 'DVAS_PROFILE' | 'environment' | 'default';

export interface ResolvedProfile {
  profile: Profile;
  source: ProfileSource;
  /** Things to tell the person on stderr (a variable that was ignored, a dropped URL path). */
  notes: string[];
}

export interface ResolveRequest {
  /** The -p/--profile value. */
  flag: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the saved profiles; called only when the answer depends on them. */
  readSaved: () => Promise<ProfilesSnapshot>;
  /** Checks a certificate or key path named by a variable. */
  checkFile: (raw: string) => Checked<string>;
}

const ADD_HINT = 'Add one with `dvas profile add <name> --url https://<org>.crm.dynamics.com`, or try the emulator with `dvas emulator --profile demo`.';

/** Names from the profiles file: checked when read (schema.ts), and still never written raw to a terminal. */
function knownNames(saved: ProfilesSnapshot): string {
  return [...saved.profiles.keys()].map(terminalSafe).join(', ');
}

/**
 * "There is no profile named …", listing the known ones (or saying how to add one), and naming the
 * closest when one is close enough to be a typo (`prdo` → "prod"), by commander's rule for commands.
 */
export function unknownProfileError(name: string, source: string | undefined, saved: ProfilesSnapshot): ConfigError {
  const known = saved.profiles.size > 0 ? `; the known profiles are ${knownNames(saved)}` : '; no profiles are saved yet';
  const close = closestMatches(name, saved.profiles.keys());
  const suggestion = close.length > 0 ? ` Did you mean ${close.map(quote).join(' or ')}?` : '';
  return new ConfigError(`There is no profile named ${quote(name)}${source ? ` (from ${source})` : ''}${known}.${suggestion}`, {
    hint: saved.profiles.size > 0 ? 'List them with `dvas profile list`.' : ADD_HINT,
  });
}

/**
 * Which profile a command uses: -p/--profile, else DVAS_PROFILE, else a profile made from DVAS_URL
 * and the AZURE_* variables, else the saved default. Naming a profile beats DVAS_URL so that one
 * saved profile can be picked in a shell that has CI variables set.
 */
export async function resolveProfile(request: ResolveRequest): Promise<ResolvedProfile> {
  const { env } = request;
  const named =
    request.flag !== undefined
      ? { name: request.flag, source: '--profile' as const }
      : env.DVAS_PROFILE
        ? { name: env.DVAS_PROFILE, source: 'DVAS_PROFILE' as const }
        : undefined;

  if (named) {
    const saved = await request.readSaved();
    const profile = saved.profiles.get(named.name);
    if (!profile) throw unknownProfileError(named.name, named.source, saved);
    const notes = env.DVAS_URL ? [`DVAS_URL is ignored: ${named.source} chose the profile ${quote(named.name)}.`] : [];
    return { profile, source: named.source, notes };
  }

  const fromEnvironment = profileFromEnvironment(env, request.checkFile);
  if (fromEnvironment) return { profile: fromEnvironment.profile, source: 'environment', notes: fromEnvironment.notes };

  const saved = await request.readSaved();
  const fallback = saved.defaultName === undefined ? undefined : saved.profiles.get(saved.defaultName);
  if (fallback) return { profile: fallback, source: 'default', notes: [] };
  if (saved.profiles.size > 0) {
    throw new ConfigError(`No profile is the default, and none was chosen; the known profiles are ${knownNames(saved)}.`, {
      hint: 'Choose one with -p <name>, or make one the default with `dvas profile use <name>`.',
    });
  }
  throw new ConfigError('No connection profile is configured.', { hint: ADD_HINT });
}
