import { CliError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Profile } from '../profiles/types.js';
import { findAccount, openPublicClient, signInInteractively } from './public-client.js';
import type { TokenProviderOptions } from './provider-options.js';

/** What `dvas login` records on the profile, so later runs pick this account from the cache. */
export interface SignedInAccount {
  homeAccountId: string;
  username: string;
}

function assertUserSignIn(profile: Profile, command: string): void {
  if (profile.auth !== 'device-code' && profile.auth !== 'interactive') {
    throw new UsageError(`dvas ${command} is for profiles that sign in as a person (device-code, interactive); '${profile.name}' uses ${profile.auth}.`);
  }
}

/** Runs the device-code or browser sign-in now, whatever the cache holds, and names the account. */
export async function login(profile: Profile, options: TokenProviderOptions): Promise<SignedInAccount> {
  assertUserSignIn(profile, 'login');
  const session = await openPublicClient(profile, options);
  const result = await signInInteractively(session, profile, options);
  const account = result.account;
  if (!account) throw new CliError('The sign-in returned no account.', { exitCode: ExitCode.Auth });
  return { homeAccountId: account.homeAccountId, username: account.username };
}

/** Removes the profile's account (and its tokens) from the token cache. False if there was none. */
export async function logout(profile: Profile, options: TokenProviderOptions): Promise<boolean> {
  assertUserSignIn(profile, 'logout');
  const session = await openPublicClient(profile, options);
  const account = await findAccount(session, profile);
  if (!account) return false;
  await session.app.getTokenCache().removeAccount(account);
  return true;
}
