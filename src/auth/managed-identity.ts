import { ManagedIdentityApplication } from '@azure/msal-node';
import { systemClock, type Clock } from '../clock/clock.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseEnvironmentUrl } from '../http/environment-url.js';
import type { Profile } from '../profiles/types.js';
import { fromMsalResult } from './access-token.js';
import type { TokenProviderOptions } from './provider-options.js';
import { toSignInError } from './sign-in-errors.js';
import type { TokenProvider } from './token-provider.js';
import { UndiciNetworkClient } from './undici-network-client.js';

/** Long enough for a real identity endpoint; short enough that a laptop without one gives up soon. */
export const MANAGED_IDENTITY_TIMEOUT_MS = 20_000;

/**
 * The Azure resource's managed identity (system-assigned, or user-assigned when the profile has a
 * client id). msal picks the source (App Service, Arc, Cloud Shell, IMDS…) from the process
 * environment. Where there is none it falls back to IMDS and keeps retrying; our own timeout turns
 * that into a clear error. msal keeps these tokens in memory only (it takes no cache plugin).
 */
export function managedIdentityProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  const environment = parseEnvironmentUrl(profile.url);
  const timeoutMs = options.managedIdentityTimeoutMs ?? MANAGED_IDENTITY_TIMEOUT_MS;
  let app: ManagedIdentityApplication | undefined;
  return {
    async getToken(request = {}) {
      app ??= new ManagedIdentityApplication({
        ...(profile.clientId ? { managedIdentityIdParams: { userAssignedClientId: profile.clientId } } : {}),
        system: { networkClient: new UndiciNetworkClient(options.dispatcher, options.log, options.clock) },
      });
      const source = app.getManagedIdentitySource();
      const acquisition = app.acquireToken({ resource: environment.origin, forceRefresh: request.forceRefresh === true });
      try {
        return fromMsalResult(await withTimeout(acquisition, timeoutMs, source, options.clock ?? systemClock), environment, options.clock);
      } catch (error) {
        throw toSignInError(error, environment);
      }
    },
  };
}

/** The acquisition, or the "no managed identity answered" error once `timeoutMs` has passed on the clock. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, source: string, clock: Clock): Promise<T> {
  const settled = new AbortController();
  const timeout = clock.sleep(timeoutMs, settled.signal).then(
    () => {
      throw new CliError(`No managed identity answered within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (source: ${source}).`, {
        exitCode: ExitCode.Auth,
        hint: 'Managed identity works only on an Azure resource that has one; elsewhere pick another --auth kind.',
      });
    },
    // Cancelled because the acquisition settled first: the race is already decided.
    () => undefined as never,
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    settled.abort();
  }
}
