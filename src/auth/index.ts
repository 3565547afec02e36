// The sign-in API the CLI uses. Importing it loads no msal: the kinds' modules load on first use.
export { createTokenProvider, type TokenProviderOptions } from './create-token-provider.js';
export type { AccessToken, TokenProvider } from './token-provider.js';
export type { SignedInAccount } from './login.js';

/** `dvas login`: the device-code or browser sign-in; returns the account to record on the profile. */
export async function login(...args: Parameters<typeof import('./login.js').login>) {
  return (await import('./login.js')).login(...args);
}

/** `dvas logout`: removes the profile's account from the token cache. */
export async function logout(...args: Parameters<typeof import('./login.js').logout>) {
  return (await import('./login.js')).logout(...args);
}
