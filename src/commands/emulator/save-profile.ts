import { join } from 'node:path';
import { writeFileAtomically } from '../../config/atomic-write.js';
import { configDirectory } from '../../config/paths.js';
import { servesDemoCertificate, signInInfo } from '../../emulator/authority/sign-in-info.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../../emulator/seed/demo-certificate.js';
import { CliError, ConfigError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { isLoopbackHostname } from '../../http/loopback.js';
import { buildProfile, type InputLabels } from '../../profiles/build.js';
import { withProfile } from '../../profiles/changes.js';
import type { ProfileStore } from '../../profiles/store.js';
import type { Profile } from '../../profiles/types.js';
import { checkProfileName, checkReadableFile } from '../../profiles/validate.js';
import { quote } from '../../output/terminal-text.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What `--profile` saved, for the startup output and the note on stderr. */
export interface SavedEmulatorProfile {
  profile: Profile;
  isDefault: boolean;
  /** How the profile gets its credential, in one sentence for people. */
  signIn: string;
  /** The demo certificate and key the profile signs in with, under the config directory (kept after exit). */
  certificateFiles?: { certificatePath: string; keyPath: string };
}

const LABELS: InputLabels = {
  name: '--profile',
  url: 'the emulator URL',
  auth: 'the sign-in kind',
  tenantId: 'the emulator tenant',
  clientId: 'the application id',
  certificatePath: 'the demo certificate',
  keyPath: 'the demo key',
  authority: 'the authority',
  apiVersion: 'the API version',
};

/** A profile pointing at an emulator: plain http on this machine. Only such a profile may be replaced. */
function isEmulatorProfile(profile: Profile): boolean {
  const url = new URL(profile.url);
  return url.protocol === 'http:' && isLoopbackHostname(url.hostname);
}

/**
 * Checked before the emulator starts: the name is valid, and it is free or already names an
 * emulator profile (from an earlier start, on another port). A profile for a real environment is
 * never overwritten.
 */
export async function checkProfileSlot(name: string, store: ProfileStore): Promise<void> {
  const checked = checkProfileName(name);
  if (!checked.ok) throw new UsageError(`--profile ${checked.problem}.`);
  const existing = (await store.read()).profiles.get(name);
  if (existing && !isEmulatorProfile(existing)) {
    throw new ConfigError(`Profile ${quote(name)} already exists and connects to ${existing.url}, not to an emulator.`, {
      hint: 'Choose another name for the emulator profile, e.g. --profile emulator.',
    });
  }
}

/**
 * Saves a profile connected to the running emulator as its application user (the demo app).
 * With the demo organisation it is a certificate profile: the demo certificate and key (public
 * on purpose: they exist only for the emulator) are written under the config directory, where
 * they stay across emulator restarts, so the profile needs no secret at all. With a seed whose
 * application has only a secret, it is a client-secret profile, and the secret, never stored,
 * comes from DVAS_CLIENT_SECRET as for any such profile.
 *
 * It becomes the default when there is none (or it already was), so that `dvas whoami` in another
 * terminal just works for a newcomer; an existing default is left alone.
 */
export async function saveEmulatorProfile(name: string, emulator: RunningEmulator, store: ProfileStore, env: Env): Promise<SavedEmulatorProfile> {
  const application = signInInfo(emulator.authority, undefined);
  if (!application.clientId) throw new UsageError('The served organisation has no application user for a profile to sign in as.');
  const input = { name, url: emulator.url, tenantId: emulator.tenantId, clientId: application.clientId };
  const fail = (message: string) => new CliError(message, { exitCode: ExitCode.Internal });

  let built: Profile;
  let signIn: string;
  let files: { certificatePath: string; keyPath: string } | undefined;
  if (servesDemoCertificate(emulator.authority)) {
    files = await writeCertificateFiles(env);
    built = buildProfile({ ...input, auth: 'certificate', ...files }, { labels: LABELS, fail, checkFile: checkReadableFile }).profile;
    signIn = `certificate sign-in as the application user, with the demo certificate in ${files.certificatePath}`;
  } else if (application.clientSecret) {
    built = buildProfile({ ...input, auth: 'client-secret' }, { labels: LABELS, fail, checkFile: checkReadableFile }).profile;
    signIn = "client-secret sign-in as the application user: set DVAS_CLIENT_SECRET to its secret (the seed's clientSecret, also in `dvas emulator --json`)";
  } else {
    throw new UsageError("The seed's application user has neither a client secret nor the demo certificate, so no profile can sign in as it.");
  }

  const saved = await store.update((current) => {
    const keepDefault = current.defaultName !== undefined && current.defaultName !== name;
    return withProfile(current, built, { makeDefault: !keepDefault });
  });
  return { profile: built, isDefault: saved.defaultName === name, signIn, ...(files ? { certificateFiles: files } : {}) };
}

/** The demo certificate and key as files under the config directory: 0600 in a 0700 directory, replaced atomically. */
async function writeCertificateFiles(env: Env): Promise<{ certificatePath: string; keyPath: string }> {
  const directory = join(configDirectory(env), 'emulator');
  const certificatePath = join(directory, 'dvas-demo-app.crt.pem');
  const keyPath = join(directory, 'dvas-demo-app.key.pem');
  await writeFileAtomically(certificatePath, DEMO_CERTIFICATE_PEM);
  await writeFileAtomically(keyPath, DEMO_PRIVATE_KEY_PEM);
  return { certificatePath, keyPath };
}
