import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { TokenProviderOptions } from '../../auth/provider-options.js';
import { tokenCacheFile } from '../../config/paths.js';
import type { CliContext } from '../../context.js';
import type { Profile } from '../../profiles/types.js';

/** The sign-in kinds a person completes (a code or a browser); the others need no `dvas login`. */
export function signsInAsPerson(profile: Profile): boolean {
  return profile.auth === 'device-code' || profile.auth === 'interactive';
}

/**
 * Runs `task` with what msal needs for the run (the one proxy-aware dispatcher, the shared token
 * cache file) and closes the dispatcher after. A sign-in started by `dvas login` may always ask
 * the person: they asked for it.
 */
export async function withSignInOptions<T>(ctx: CliContext, task: (options: TokenProviderOptions) => Promise<T>): Promise<T> {
  const { createHttpDispatcher } = await import('../../http/dispatcher.js');
  const dispatcher = createHttpDispatcher(ctx.env);
  try {
    return await task({ env: ctx.env, io: ctx.io, dispatcher, cacheFile: tokenCacheFile(ctx.env), allowInteraction: true });
  } finally {
    await dispatcher.close();
  }
}

/** A note for profiles whose sign-in needs no person: every command signs in by itself. */
export function noLoginNeeded(profile: Profile, command: 'login' | 'logout'): string {
  const what = command === 'login' ? 'there is nothing to log in to' : 'there is no sign-in to remove';
  return `Profile "${profile.name}" signs in as ${profile.auth} without a person, so ${what}: each command signs in by itself and caches the token.`;
}

/** --dry-run: a sign-in sends requests and a sign-out changes the token cache, so neither starts. */
export function dryRunStop(what: string): CliError {
  return new CliError(`Dry run: ${what}; nothing was done.`, { exitCode: ExitCode.Ok });
}
