import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';
import { confidentialClientProvider } from './confidential-client.js';
import type { TokenProviderOptions } from './provider-options.js';
import { requireClientId } from './required-settings.js';
import type { TokenProvider } from './token-provider.js';

/**
 * Workload identity federation (GitHub Actions, Kubernetes): the platform writes a short-lived
 * JWT to the file named by AZURE_FEDERATED_TOKEN_FILE, and Entra trusts it in place of a secret.
 * The file is read for every token request, not once: the platform rotates it.
 */
export function workloadIdentityProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  const clientId = requireClientId(profile, options.env.AZURE_CLIENT_ID);
  const tokenFile = options.env.AZURE_FEDERATED_TOKEN_FILE;
  if (!tokenFile) {
    throw new CliError(`Profile '${profile.name}' signs in with workload identity, but AZURE_FEDERATED_TOKEN_FILE is not set.`, {
      exitCode: ExitCode.Config,
      hint: 'Run where the platform provides it (GitHub Actions with id-token: write, Kubernetes with the workload identity webhook).',
    });
  }
  return confidentialClientProvider(profile, options, clientId, async () => ({
    clientAssertion: () => readFederatedToken(tokenFile),
  }));
}

async function readFederatedToken(path: string): Promise<string> {
  try {
    const token = (await readFile(path, 'utf8')).trim();
    if (token) return token;
  } catch (cause) {
    throw new CliError(`Cannot read the federated token file ${path}.`, { exitCode: ExitCode.Auth, cause });
  }
  throw new CliError(`The federated token file ${path} is empty.`, { exitCode: ExitCode.Auth });
}
