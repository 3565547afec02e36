import type { CliContext } from '../../context.js';
import { unknownProfileError, type ProfileSource } from '../../profiles/resolve.js';
import { toProfileView, type ProfileView } from './view.js';

export interface ProfileShowView extends ProfileView {
  /** Why this profile: named on the command line, or how a data command would have chosen it. */
  source: ProfileSource | 'argument';
}

/**
 * `dvas profile show [name]`: a saved profile, or, without a name, the one a data command would use
 * right now, wherever it comes from (useful when CI picks an unexpected one).
 */
export async function runProfileShow(name: string | undefined, ctx: CliContext): Promise<ProfileShowView> {
  if (name !== undefined) {
    const saved = await ctx.profiles().read();
    const profile = saved.profiles.get(name);
    if (!profile) throw unknownProfileError(name, undefined, saved);
    return { ...toProfileView(profile, saved.defaultName === name), source: 'argument' };
  }
  const { profile, source } = await ctx.resolveProfile();
  // A profile made from variables is not saved, so it cannot be the default; don't read the file for it.
  const isDefault = source === 'environment' ? false : (await ctx.profiles().read()).defaultName === profile.name;
  return { ...toProfileView(profile, isDefault), source };
}
