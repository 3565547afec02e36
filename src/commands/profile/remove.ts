import type { CliContext } from '../../context.js';
import { withoutProfile } from '../../profiles/changes.js';
import { unknownProfileError } from '../../profiles/resolve.js';
import { quote } from '../../output/terminal-text.js';

export interface ProfileRemoved {
  removed: string;
  /** The default after the removal; null when none is. */
  defaultProfile: string | null;
}

/**
 * `dvas profile remove <name>`. Tokens cached for it stay in the token cache (they belong to the
 * account, not the profile); `dvas logout` clears those.
 */
export async function runProfileRemove(name: string, ctx: CliContext): Promise<ProfileRemoved> {
  let wasDefault = false;
  const saved = await ctx.profiles().update((current) => {
    if (!current.profiles.has(name)) throw unknownProfileError(name, undefined, current);
    wasDefault = current.defaultName === name;
    return withoutProfile(current, name);
  });
  ctx.messages.success(`Removed profile ${quote(name)}.`);
  if (wasDefault) {
    if (saved.defaultName !== undefined) ctx.messages.note(`Profile ${quote(saved.defaultName)} is now the default.`);
    else if (saved.profiles.size > 0) ctx.messages.hint('No profile is the default now: choose one with `dvas profile use <name>`.');
  }
  return { removed: name, defaultProfile: saved.defaultName ?? null };
}
