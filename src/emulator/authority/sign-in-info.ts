import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationRegistration } from '../seed/load.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../seed/demo-certificate.js';
import type { EmulatorAuthority } from './authority.js';

/** The demo certificate and key written to files, for clients that take paths (dvas `--cert-path`, msal samples). */
export interface DemoCertificateFiles {
  certificatePath: string;
  privateKeyPath: string;
  remove(): Promise<void>;
}

/** How to sign in to a running emulator as its (first) application user: part of `dvas emulator --json`. */
export interface SignInInfo {
  /** Where the authority's endpoints are: `<url>/<tenant>` (msal needs the recipe in docs/emulator-authority.md). */
  authority: string;
  clientId: string | null;
  clientSecret: string | null;
  certificatePath: string | null;
  privateKeyPath: string | null;
}

/** The application user a script signs in as: the seed's first (the demo organisation's "dvas demo app"). */
function mainApplication(authority: EmulatorAuthority): ApplicationRegistration | undefined {
  return authority.core.applications[0];
}

/** Only the demo certificate's private key is known to the emulator; a seed's own certificates come without one. */
function usesDemoCertificate(application: ApplicationRegistration | undefined): boolean {
  if (!application?.certificate) return false;
  return new X509Certificate(application.certificate).fingerprint256 === new X509Certificate(DEMO_CERTIFICATE_PEM).fingerprint256;
}

/** Whether the served organisation's application user signs in with the demo certificate (whose key dvas ships). */
export function servesDemoCertificate(authority: EmulatorAuthority): boolean {
  return usesDemoCertificate(mainApplication(authority));
}

/**
 * Writes the demo certificate and private key to a new private temporary directory when the
 * served organisation's application user is registered with the demo certificate; undefined
 * otherwise. The caller removes them when the emulator stops.
 */
export async function writeDemoCertificateFiles(authority: EmulatorAuthority): Promise<DemoCertificateFiles | undefined> {
  if (!servesDemoCertificate(authority)) return undefined;
  const directory = await mkdtemp(join(tmpdir(), 'dvas-emulator-'));
  const certificatePath = join(directory, 'dvas-demo-app.crt.pem');
  const privateKeyPath = join(directory, 'dvas-demo-app.key.pem');
  await writeFile(certificatePath, DEMO_CERTIFICATE_PEM, { mode: 0o644 });
  await writeFile(privateKeyPath, DEMO_PRIVATE_KEY_PEM, { mode: 0o600 });
  return { certificatePath, privateKeyPath, remove: () => rm(directory, { recursive: true, force: true }) };
}

export function signInInfo(authority: EmulatorAuthority, files: DemoCertificateFiles | undefined): SignInInfo {
  const application = mainApplication(authority);
  return {
    authority: authority.url,
    clientId: application?.clientId ?? null,
    clientSecret: application?.clientSecret ?? null,
    certificatePath: files?.certificatePath ?? null,
    privateKeyPath: files?.privateKeyPath ?? null,
  };
}
