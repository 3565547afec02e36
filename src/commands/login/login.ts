import type { CliContext } from '../../context.js';
import { withProfile } from '../../profiles/changes.js';
import { dryRunStop, noLoginNeeded, signsInAsPerson, withSignInOptions } from './sign-in-options.js';
import type { LoginView } from './view.js';

/**
 * `dvas login`: for device-code and interactive profiles, runs the sign-in now (the device code
 * and its instructions on stderr, or the browser), whatever the cache holds, and records the
 * account on the profile (homeAccountId, username) so that later commands pick it from the token
 * cache and sign in silently. Profiles of the other kinds need no login: dvas says so and exits 0,
 * so a script may run `dvas login` whatever the profile.
 */
export async function runLogin(ctx: CliContext): Promise<LoginView> {
  const { profile, source } = await ctx.resolveProfile();
  const view: LoginView = { profile: profile.name, auth: profile.auth, username: null, homeAccountId: null, signedIn: false };
  if (!signsInAsPerson(profile)) {
    ctx.messages.note(noLoginNeeded(profile, 'login'));
    return view;
  }
  if (ctx.options.dryRun) throw dryRunStop(`dvas login would sign in for profile "${profile.name}" now`);
  const { login } = await import('../../auth/login.js');
  const account = await withSignInOptions(ctx, (options) => login(profile, options));
  if (source === 'environment') {
    // Nothing to write to: the token cache holds the sign-in, and a cache with one account for the
    // environment's authority is found without a homeAccountId.
    ctx.messages.note('The profile comes from DVAS_URL variables, so the account is kept only in the token cache.');
  } else {
    await ctx.profiles().update((current) => {
      const saved = current.profiles.get(profile.name) ?? profile;
      return withProfile(current, { ...saved, homeAccountId: account.homeAccountId, username: account.username }, { makeDefault: false });
    });
  }
  ctx.messages.success(`Signed in as ${account.username}; profile "${profile.name}" uses this account from now on.`);
  return { ...view, username: account.username, homeAccountId: account.homeAccountId, signedIn: true };
}
