import type { CliContext } from '../../context.js';
import { toProfileView, type ProfileView } from './view.js';

/** `dvas profile list`: the saved profiles by name, the default marked. Reads only; loads no sign-in code. */
export async function runProfileList(ctx: CliContext): Promise<ProfileView[]> {
  const saved = await ctx.profiles().read();
  if (saved.profiles.size === 0) {
    ctx.messages.hint('No profiles yet. Add one with `dvas profile add <name> --url https://<org>.crm.dynamics.com`.');
  }
  return [...saved.profiles.values()]
    .sort((left, right) => left.name.localeCompare(right.name))
    .map((profile) => toProfileView(profile, profile.name === saved.defaultName));
}
