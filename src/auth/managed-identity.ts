import { ManagedIdentityApplication } from '@azure/msal-node';
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
        system: { networkClient: new UndiciNetworkClient(options.dispatcher, options.log) },
      });
      const source = app.getManagedIdentitySource();
      const acquisition = app.acquireToken({ resource: environment.origin, forceRefresh: request.forceRefresh === true });
      try {
        return fromMsalResult(await withTimeout(acquisition, timeoutMs, source), environment);
      } catch (error) {
        throw toSignInError(error, environment);
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, source: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CliError(`No managed identity answered within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (source: ${source}).`, {
            exitCode: ExitCode.Auth,
            hint: 'Managed identity works only on an Azure resource that has one; elsewhere pick another --auth kind.',
          }),
        ),
      timeoutMs,
    );
    // The pending msal request must not keep the process alive after we have given up.
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
