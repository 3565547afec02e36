import { PublicClientApplication, type AccountInfo, type AuthenticationResult } from '@azure/msal-node';
import { PUBLIC_CLIENT_ID } from '../dataverse/facts.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';
import { isTenantId } from '../profiles/validate.js';
import { fromMsalResult } from './access-token.js';
import { msalAuthorityOptions, signInTargetFor, type SignInTarget } from './authority.js';
import { FileCachePlugin } from './file-cache-plugin.js';
import { defaultOpenBrowser } from './open-browser.js';
import type { TokenProviderOptions } from './provider-options.js';
import { toSignInError } from './sign-in-errors.js';
import type { TokenProvider } from './token-provider.js';
import { UndiciNetworkClient } from './undici-network-client.js';
import { isLoopbackHostname } from '../http/loopback.js';
import { terminalSafeLines } from '../output/terminal-text.js';

export interface PublicClientSession {
  app: PublicClientApplication;
  target: SignInTarget;
}

/** A public client (device code, browser) for the profile, reading and writing the shared token cache. */
export async function openPublicClient(profile: Profile, options: TokenProviderOptions): Promise<PublicClientSession> {
  const target = await signInTargetFor(profile, options);
  const app = new PublicClientApplication({
    auth: { clientId: profile.clientId ?? PUBLIC_CLIENT_ID, ...msalAuthorityOptions(target.authority) },
    cache: { cachePlugin: new FileCachePlugin(options.cacheFile) },
    system: { networkClient: new UndiciNetworkClient(options.dispatcher, options.log, options.clock) },
  });
  return { app, target };
}

/**
 * The cached account this profile signs in as: the one `dvas login` recorded, else the only
 * account in the cache for this authority and tenant (a cache shared by several profiles may hold
 * accounts of other tenants, which must not be picked by accident). An account's tenant is the
 * `tid` of its sign-in, a GUID, which a profile's tenant given as a domain name
 * (contoso.com) cannot be compared with without asking the authority: for such a profile the
 * account must be one of that domain (its user name ends in `@contoso.com`), which keeps another
 * tenant's account out; an account of another of the tenant's domains needs `dvas login`.
 */
export async function findAccount(session: PublicClientSession, profile: Profile): Promise<AccountInfo | undefined> {
  const cache = session.app.getTokenCache();
  if (profile.homeAccountId) return (await cache.getAccountByHomeId(profile.homeAccountId)) ?? undefined;
  const tenant = session.target.tenantId?.toLowerCase();
  const ofTenant = (account: AccountInfo): boolean => {
    if (tenant === undefined) return true;
    return isTenantId(tenant) ? account.tenantId.toLowerCase() === tenant : account.username.toLowerCase().endsWith(`@${tenant}`);
  };
  const candidates = (await cache.getAllAccounts()).filter((account) => account.environment === session.target.authority.host && ofTenant(account));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** What to do on the emulator's device-login page (docs/emulator-authority.md, "Device code"). */
const EMULATOR_DEVICE_LOGIN =
  "This is the emulator's sign-in: on that page enter the code and the email of the user to sign in as (such as sam.sales@contoso.com), or start the emulator with --approve-device-codes <email> to approve every code at once.";

/** Runs the sign-in a person completes: the device-code flow (code on stderr) or the browser. */
export async function signInInteractively(session: PublicClientSession, profile: Profile, options: TokenProviderOptions): Promise<AuthenticationResult> {
  const scopes = [session.target.scope];
  try {
    const result =
      profile.auth === 'interactive'
        ? await session.app.acquireTokenInteractive({
            scopes,
            openBrowser: options.openBrowser ?? defaultOpenBrowser(options.io, options.env),
            successTemplate: 'Signed in to dvas. You can close this tab.',
            errorTemplate: 'dvas sign-in failed: close this tab and look at the terminal.',
          })
        : await session.app.acquireTokenByDeviceCode({
            scopes,
            // The prompt is for the person, never for a script reading stdout. An authority on this
            // machine is the emulator's, whose page asks for more than the code: say what.
            deviceCodeCallback: (response) =>
              options.io.stderr.write(
                `${terminalSafeLines(response.message)}\n${isLoopbackHostname(session.target.authority.hostname) ? `${EMULATOR_DEVICE_LOGIN}\n` : ''}`,
              ),
          });
    if (!result) throw new CliError('The sign-in ended without a result.', { exitCode: ExitCode.Auth });
    return result;
  } catch (error) {
    throw toSignInError(error, session.target.authority);
  }
}

/**
 * Delegated tokens for a person (device-code and interactive kinds): silently from the cache
 * (refresh token included) for the account `dvas login` recorded. With no usable sign-in it
 * starts the sign-in itself only when someone can complete it (see allowInteraction), else it
 * asks for `dvas login`.
 */
export function publicClientProvider(profile: Profile, options: TokenProviderOptions): TokenProvider {
  let session: Promise<PublicClientSession> | undefined;
  const allowInteraction = options.allowInteraction ?? options.io.isStderrTTY;
  return {
    async getToken(request = {}) {
      const current = await (session ??= openPublicClient(profile, options));
      const account = await findAccount(current, profile);
      if (account) {
        try {
          const result = await current.app.acquireTokenSilent({ account, scopes: [current.target.scope], forceRefresh: request.forceRefresh === true });
          return fromMsalResult(result, current.target.authority, options.clock);
        } catch (error) {
          const failure = toSignInError(error, current.target.authority);
          if (!allowInteraction || failure.exitCode !== ExitCode.Auth) throw failure;
        }
      } else if (!allowInteraction) {
        throw new CliError(`Profile '${profile.name}' is not signed in.`, {
          exitCode: ExitCode.Auth,
          hint: `Run dvas login --profile ${profile.name}.`,
        });
      }
      return fromMsalResult(await signInInteractively(current, profile, options), current.target.authority, options.clock);
    },
  };
}
