import type { CliContext } from '../../context.js';
import { ConfigError, UsageError } from '../../errors.js';
import { buildProfile, type InputLabels } from '../../profiles/build.js';
import { withProfile } from '../../profiles/changes.js';
import { checkReadableFile } from '../../profiles/validate.js';
import { toProfileView, type ProfileView } from './view.js';
import { quote } from '../../output/terminal-text.js';

/** The flags of `profile add`, as commander hands them over. */
export interface ProfileAddFlags {
  url: string;
  auth?: string;
  tenant?: string;
  clientId?: string;
  certificate?: string;
  key?: string;
  authority?: string;
  apiVersion?: string;
  default?: boolean;
}

/** Which flag feeds which profile field, for messages; `profile set` uses the same. */
export const FLAG_LABELS: InputLabels = {
  name: 'The profile name',
  url: '--url',
  auth: '--auth',
  tenantId: '--tenant',
  clientId: '--client-id',
  certificatePath: '--certificate',
  keyPath: '--key',
  authority: '--authority',
  apiVersion: '--api-version',
};

/**
 * `dvas profile add <name>`: checks every flag, then saves the profile in one write. The first profile
 * becomes the default. Without --auth: certificate when --certificate is given, else device code
 * (an admin at a terminal, with Microsoft's pre-approved client).
 */
export async function runProfileAdd(name: string, flags: ProfileAddFlags, ctx: CliContext): Promise<ProfileView> {
  const { profile, notes } = buildProfile(
    {
      name,
      url: flags.url,
      auth: flags.auth ?? (flags.certificate !== undefined ? 'certificate' : 'device-code'),
      tenantId: flags.tenant,
      clientId: flags.clientId,
      certificatePath: flags.certificate,
      keyPath: flags.key,
      authority: flags.authority,
      apiVersion: flags.apiVersion,
    },
    { labels: FLAG_LABELS, fail: (message) => new UsageError(message), checkFile: checkReadableFile },
  );
  const store = ctx.profiles();
  const saved = await store.update((current) => {
    if (current.profiles.has(profile.name)) {
      throw new ConfigError(`A profile named ${quote(profile.name)} already exists.`, {
        hint: `Remove it first with \`dvas profile remove ${profile.name}\`, or choose another name.`,
      });
    }
    return withProfile(current, profile, { makeDefault: flags.default === true });
  });
  for (const note of notes) ctx.messages.note(note);
  const isDefault = saved.defaultName === profile.name;
  ctx.messages.success(`Saved profile ${quote(profile.name)}${isDefault ? ' as the default' : ''} in ${store.location}.`);
  return toProfileView(profile, isDefault);
}
