import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';
import { confidentialClientProvider, type ClientCredential } from './confidential-client.js';
import type { Env, TokenProviderOptions } from './provider-options.js';
import { requireClientId } from './required-settings.js';
import type { TokenProvider } from './token-provider.js';

/**
 * An application user signing in with a certificate: PEM files whose paths the profile keeps (a
 * single PEM holding both the certificate and the key works too). The key's passphrase, if any,
 * comes from DVAS_CERTIFICATE_PASSWORD or AZURE_CLIENT_CERTIFICATE_PASSWORD.
 */
export function certificateProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  const clientId = requireClientId(profile);
  const certificatePath = profile.certificatePath;
  if (!certificatePath) {
    throw new CliError(`Profile '${profile.name}' signs in with a certificate but names no certificate file.`, {
      exitCode: ExitCode.Config,
      hint: 'Set it with --certificate <cert.pem> --key <key.pem>.',
    });
  }
  return confidentialClientProvider(profile, options, clientId, () =>
    loadCertificateCredential(certificatePath, profile.keyPath ?? certificatePath, options.env),
  );
}

/**
 * msal's certificate credential. `thumbprintSha256` makes msal sign the assertion with PS256 and
 * name the certificate by `x5t#S256` (the SHA-1 `thumbprint` is deprecated); `x5c` sends the public
 * certificate too, for apps that trust a subject name and issuer rather than a thumbprint.
 */
export async function loadCertificateCredential(certificatePath: string, keyPath: string, env: Env): Promise<ClientCredential> {
  const certificatePem = await readPem(certificatePath, 'certificate');
  const keyPem = keyPath === certificatePath ? certificatePem : await readPem(keyPath, 'key');
  const certificates = certificatePem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!certificates?.[0]) {
    throw new CliError(`${certificatePath} holds no PEM certificate.`, {
      exitCode: ExitCode.Config,
      hint: 'Convert a .pfx first: openssl pkcs12 -in app.pfx -nokeys -out cert.pem.',
    });
  }
  let thumbprintSha256: string;
  let privateKey: string;
  try {
    thumbprintSha256 = new X509Certificate(certificates[0]).fingerprint256.replaceAll(':', '');
  } catch (cause) {
    throw new CliError(`${certificatePath} holds a certificate that cannot be read.`, { exitCode: ExitCode.Config, cause });
  }
  try {
    const passphrase = env.DVAS_CERTIFICATE_PASSWORD ?? env.AZURE_CLIENT_CERTIFICATE_PASSWORD;
    privateKey = createPrivateKey({ key: keyPem, format: 'pem', ...(passphrase ? { passphrase } : {}) })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
  } catch (cause) {
    throw new CliError(`Cannot read the private key in ${keyPath}: it is missing, damaged, or needs a passphrase.`, {
      exitCode: ExitCode.Config,
      hint: 'For an encrypted key, set DVAS_CERTIFICATE_PASSWORD.',
      cause,
    });
  }
  return { clientCertificate: { thumbprintSha256, privateKey, x5c: certificates.join('\n') } };
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unreadable';
    throw new CliError(`Cannot read the ${what} file ${path} (${code}).`, { exitCode: ExitCode.Config, cause });
  }
}
