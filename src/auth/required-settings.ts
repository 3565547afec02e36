import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';

/** The application (client) id a sign-in kind cannot do without. */
export function requireClientId(profile: Profile, fallback?: string): string {
  const clientId = profile.clientId ?? fallback;
  if (clientId) return clientId;
  throw new CliError(`Profile '${profile.name}' signs in with ${profile.auth} but has no client id.`, {
    exitCode: ExitCode.Config,
    hint: `Set it: dvas profile add ${profile.name} --url ${profile.url} --auth ${profile.auth} --client-id <application id> …`,
  });
}
