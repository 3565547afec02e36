import type { CliContext } from '../../context.js';
import { withDefault } from '../../profiles/changes.js';
import { unknownProfileError } from '../../profiles/resolve.js';
import { toProfileView, type ProfileView } from './view.js';
import { quote } from '../../output/terminal-text.js';

/** `dvas profile use <name>`: makes a saved profile the default. */
export async function runProfileUse(name: string, ctx: CliContext): Promise<ProfileView> {
  const saved = await ctx.profiles().update((current) => {
    if (!current.profiles.has(name)) throw unknownProfileError(name, undefined, current);
    return withDefault(current, name);
  });
  const profile = saved.profiles.get(name);
  if (!profile) throw unknownProfileError(name, undefined, saved);
  ctx.messages.success(`Profile ${quote(name)} is now the default.`);
  return toProfileView(profile, true);
}
