/** How a profile signs in. */
export const AUTH_KINDS = [
  'client-secret',
  'certificate',
  'device-code',
  'interactive',
  'managed-identity',
  'workload-identity',
  'azure-cli',
  'token',
] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/**
 * A connection profile: where the environment is and how to sign in to it. Never holds a secret,
 * a key or a token: secrets come from the environment or a prompt, keys stay in their files, tokens
 * live only in the token cache.
 */
export interface Profile {
  name: string;
  /** The environment URL (origin only), e.g. https://contoso.crm.dynamics.com. */
  url: string;
  auth: AuthKind;
  /** Entra tenant id; learned from the environment's bearer challenge when omitted. */
  tenantId?: string;
  clientId?: string;
  /** PEM certificate and key paths (certificate auth). */
  certificatePath?: string;
  keyPath?: string;
  /** Authority URL override: sovereign clouds, on-premises AD FS, or the emulator. */
  authority?: string;
  /** Web API version, e.g. v9.2. */
  apiVersion: string;
  /** Set by `dvas login` for the user sign-in kinds: which cached account to use. */
  homeAccountId?: string;
  username?: string;
}
