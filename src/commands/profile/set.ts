import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { PUBLIC_CLIENT_ID } from '../../dataverse/facts.js';
import { buildProfile, CLIENT_ID_USE, type InputLabels, type ProfileInput } from '../../profiles/build.js';
import { withProfile } from '../../profiles/changes.js';
import { unknownProfileError } from '../../profiles/resolve.js';
import type { Profile } from '../../profiles/types.js';
import { checkEnvironmentUrl, checkReadableFile } from '../../profiles/validate.js';
import { FLAG_LABELS, type ProfileAddFlags } from './add.js';
import { toProfileView, type ProfileView } from './view.js';
import { quote } from '../../output/terminal-text.js';

/** The flags of `profile set`: those of `profile add`, every one optional. */
export type ProfileSetFlags = Partial<ProfileAddFlags>;

type ValueField = Exclude<keyof InputLabels, 'name'>;

/**
 * The flags that change a stored value and the field each sets, in the order the "nothing to
 * change" message lists them; their names are `add`'s labels (FLAG_LABELS).
 */
const FLAG_FIELDS = {
  url: 'url',
  auth: 'auth',
  tenant: 'tenantId',
  clientId: 'clientId',
  certificate: 'certificatePath',
  key: 'keyPath',
  authority: 'authority',
  apiVersion: 'apiVersion',
} as const satisfies Record<string, ValueField>;
type ValueFlag = keyof typeof FLAG_FIELDS & keyof ProfileAddFlags;
const VALUE_FLAGS = Object.keys(FLAG_FIELDS) as ValueFlag[];

/**
 * What the signed-in account recorded by `dvas login` (homeAccountId, username) was signed in
 * for: a change to any of these makes it another sign-in, so the account is forgotten.
 */
const SIGN_IN_FIELDS = ['url', 'auth', 'tenantId', 'clientId', 'authority'] as const satisfies ReadonlyArray<keyof Profile>;

/**
 * `dvas profile set <name>`: changes a saved profile. The flags are laid over the saved values and
 * the result goes through exactly `profile add`'s checks (buildProfile), so a profile that `add`
 * would refuse can never be made by `set`; nothing is written unless all of it is valid.
 *
 * Two things follow from a change of kind (--auth) and are not left to fail the checks:
 * - saved values that the new kind does not take are dropped (the certificate and key of a
 *   profile that stops being `certificate`; a client id of a kind that uses none, and Microsoft's
 *   public client id that `device-code` filled in, which the new kind would otherwise silently
 *   sign in with), with a note; the same values given as flags are still refused, as by `add`.
 *
 * Cached state: the account `dvas login` recorded on the profile is forgotten when the URL, the
 * sign-in kind, the tenant, the client id or the authority changes, because it was signed in for
 * those (the next command signs in again; `dvas login` for a person). Tokens in the token cache
 * are not deleted: they belong to the account, which other profiles may use, and a changed
 * profile looks tokens up by its new client, tenant and scope, so it cannot pick an old one. The
 * tenant learned from an environment and the table cache are facts about the environment, kept
 * per environment URL, so they stay valid whatever a profile says.
 */
export async function runProfileSet(name: string, flags: ProfileSetFlags, ctx: CliContext): Promise<ProfileView> {
  const given = VALUE_FLAGS.filter((flag) => flags[flag] !== undefined);
  const store = ctx.profiles();
  if (given.length === 0 && flags.default !== true) {
    // A name that is no profile is the first thing wrong, as for every other profile command.
    const current = await store.read();
    if (!current.profiles.has(name)) throw unknownProfileError(name, undefined, current);
    throw new UsageError(`Nothing to change: give at least one of ${[...VALUE_FLAGS.map((flag) => FLAG_LABELS[FLAG_FIELDS[flag]]), '--default'].join(', ')}.`, {
      hint: `See the profile as saved with \`dvas profile show ${name}\`.`,
    });
  }
  const notes: string[] = [];
  let changed: Profile | undefined;
  const saved = await store.update((current) => {
    const stored = current.profiles.get(name);
    if (!stored) throw unknownProfileError(name, undefined, current);
    const merged = mergeOver(stored, flags, notes);
    const built = buildProfile(merged.input, {
      labels: merged.labels,
      fail: (message) => new UsageError(message),
      checkFile: checkReadableFile,
    });
    notes.push(...built.notes);
    changed = keepAccountIfSameSignIn(stored, built.profile, notes);
    return withProfile(current, changed, { makeDefault: flags.default === true });
  });
  if (!changed) throw new Error('profile set: the store did not apply the change');
  for (const note of notes) ctx.messages.note(note);
  const isDefault = saved.defaultName === name;
  ctx.messages.success(`Updated profile ${quote(name)}${isDefault ? ' (the default)' : ''} in ${store.location}.`);
  return toProfileView(changed, isDefault);
}

/**
 * The input `profile add` would have been given: each flag, else the saved value. Labels name
 * the flag, or for a saved value the flag that would change it ("--certificate (saved)"), so a
 * saved certificate file that is gone reads as what it is.
 */
function mergeOver(stored: Profile, flags: ProfileSetFlags, notes: string[]): { input: ProfileInput; labels: InputLabels } {
  const auth = flags.auth ?? stored.auth;
  const kindChanged = auth !== stored.auth;
  const clientIdUse = CLIENT_ID_USE[auth as keyof typeof CLIENT_ID_USE] ?? 'required';
  const drop = (field: string, value: string, why: string): undefined => {
    notes.push(`Dropped the saved ${field} ${quote(value)}: ${why}.`);
    return undefined;
  };
  let storedClientId = flags.clientId !== undefined ? undefined : stored.clientId;
  if (kindChanged && storedClientId !== undefined) {
    if (clientIdUse === 'unused') storedClientId = drop('client id', storedClientId, `${auth} sign-in uses none`);
    else if (storedClientId === PUBLIC_CLIENT_ID && CLIENT_ID_USE[stored.auth] === 'public-default') {
      storedClientId = drop('client id', storedClientId, `it is Microsoft's public client, which ${stored.auth} sign-in filled in`);
    }
  }
  const keepCertificate = !kindChanged || auth === 'certificate';
  const notCertificate = `${auth} sign-in uses no certificate`;
  let storedCertificate = flags.certificate !== undefined ? undefined : stored.certificatePath;
  let storedKey = flags.key !== undefined ? undefined : stored.keyPath;
  if (!keepCertificate && storedCertificate !== undefined) storedCertificate = drop('certificate', storedCertificate, notCertificate);
  if (!keepCertificate && storedKey !== undefined) storedKey = drop('key', storedKey, notCertificate);

  // A new URL carrying /api/data/vX.Y sets the version, as it does for `add`, unless --api-version says otherwise.
  const urlNamesVersion = flags.url !== undefined && flags.apiVersion === undefined && (() => {
    const checked = checkEnvironmentUrl(flags.url);
    return checked.ok && checked.value.apiVersionInPath !== undefined;
  })();

  const input: ProfileInput = {
    name: stored.name,
    url: flags.url ?? stored.url,
    auth,
    tenantId: flags.tenant ?? stored.tenantId,
    clientId: flags.clientId ?? storedClientId,
    certificatePath: flags.certificate ?? storedCertificate,
    keyPath: flags.key ?? storedKey,
    authority: flags.authority ?? stored.authority,
    apiVersion: flags.apiVersion ?? (urlNamesVersion ? undefined : stored.apiVersion),
  };
  // A value that came from the saved profile is labelled so ("--certificate (saved)"); a flag, or
  // a value that is missing altogether, by the flag that would set it.
  const labels: InputLabels = { ...FLAG_LABELS };
  for (const flag of VALUE_FLAGS) {
    const field = FLAG_FIELDS[flag];
    if (flags[flag] === undefined && input[field] !== undefined) labels[field] = `${FLAG_LABELS[field]} (saved)`;
  }
  return { input, labels };
}

/** The recorded account stays only while the profile still signs in the same way (see runProfileSet). */
function keepAccountIfSameSignIn(stored: Profile, next: Profile, notes: string[]): Profile {
  if (stored.homeAccountId === undefined && stored.username === undefined) return next;
  const sameSignIn = SIGN_IN_FIELDS.every((field) => stored[field] === next[field]);
  if (sameSignIn) {
    return {
      ...next,
      ...(stored.homeAccountId !== undefined ? { homeAccountId: stored.homeAccountId } : {}),
      ...(stored.username !== undefined ? { username: stored.username } : {}),
    };
  }
  notes.push(
    `The profile no longer signs in as ${quote(stored.username ?? 'the recorded account')}: that sign-in was for the old settings${
      next.auth === 'device-code' || next.auth === 'interactive' ? '; sign in again with `dvas login`' : ''
    }.`,
  );
  return next;
}
