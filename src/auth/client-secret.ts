import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';
import { confidentialClientProvider } from './confidential-client.js';
import type { TokenProviderOptions } from './provider-options.js';
import { requireClientId } from './required-settings.js';
import { promptHidden } from './secret-prompt.js';
import type { TokenProvider } from './token-provider.js';

/**
 * An application user signing in with a client secret. The secret is never stored: it comes from
 * DVAS_CLIENT_SECRET or AZURE_CLIENT_SECRET (CI), else from a hidden prompt when a person is at a
 * terminal, and lives only in memory for the run.
 */
export function clientSecretProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  const clientId = requireClientId(profile);
  return confidentialClientProvider(profile, options, clientId, async () => ({ clientSecret: await clientSecret(profile, options) }));
}

async function clientSecret(profile: Profile, options: TokenProviderOptions): Promise<string> {
  const fromEnv = options.env.DVAS_CLIENT_SECRET || options.env.AZURE_CLIENT_SECRET;
  if (fromEnv) return fromEnv;
  if (options.io.isStdinTTY && options.io.isStderrTTY) {
    const typed = await promptHidden(options.io, `Client secret for profile '${profile.name}' (not shown, not saved): `);
    if (typed) return typed;
  }
  throw new CliError(`Profile '${profile.name}' needs a client secret, and none was given.`, {
    exitCode: ExitCode.Config,
    hint: 'Set DVAS_CLIENT_SECRET (or AZURE_CLIENT_SECRET) in the environment, or run dvas in a terminal to be asked for it.',
  });
}
