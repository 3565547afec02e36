import type { CliContext } from '../../context.js';
import { withProfile } from '../../profiles/changes.js';
import type { Profile } from '../../profiles/types.js';
import { dryRunStop, noLoginNeeded, signsInAsPerson, withSignInOptions } from './sign-in-options.js';
import type { LogoutView } from './view.js';

/**
 * `dvas logout`: removes the profile's account, with its access and refresh tokens, from the
 * token cache, and forgets it on the profile; the next command has to sign in again (`dvas
 * login`). Nothing is sent anywhere: Entra keeps no session for dvas to end.
 */
export async function runLogout(ctx: CliContext): Promise<LogoutView> {
  const { profile, source } = await ctx.resolveProfile();
  const view: LogoutView = { profile: profile.name, auth: profile.auth, username: profile.username ?? null, removed: false };
  if (!signsInAsPerson(profile)) {
    ctx.messages.note(noLoginNeeded(profile, 'logout'));
    return view;
  }
  if (ctx.options.dryRun) throw dryRunStop(`dvas logout would remove the sign-in of profile "${profile.name}" from the token cache`);
  const { logout } = await import('../../auth/login.js');
  const removed = await withSignInOptions(ctx, (options) => logout(profile, options));
  if (source !== 'environment') await ctx.profiles().update((current) => withProfile(current, withoutAccount(current.profiles.get(profile.name) ?? profile), { makeDefault: false }));
  const who = profile.username ?? 'the account';
  if (removed) ctx.messages.success(`Signed out ${who}: its tokens are gone from the token cache.`);
  else ctx.messages.note(`Profile "${profile.name}" had no sign-in in the token cache.`);
  return { ...view, removed };
}

function withoutAccount(profile: Profile): Profile {
  const { homeAccountId: _homeAccountId, username: _username, ...rest } = profile;
  return rest;
}
