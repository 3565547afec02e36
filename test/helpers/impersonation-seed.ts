import { demoSeed } from '../../src/emulator/seed/demo.js';
import type { SeedDocument, SeedUser } from '../../src/emulator/seed/types.js';

/**
 * Holds Delegate directly (so it may impersonate) but may not read users: dvas cannot check an
 * --as GUID for it beforehand, so only checking the result can catch an ignored header.
 */
export const IVY = { fullname: 'Ivy Impersonator', email: 'ivy.impersonator@contoso.com', roles: ['Delegate', 'Account Manager'] } satisfies SeedUser;

/** Two users both answering to pat@contoso.com: one by email, the other by domain name (a renamed account). */
export const PATS = [
  { fullname: 'Pat Doe', email: 'pat@contoso.com', roles: ['Salesperson'] },
  { fullname: 'Pat Doe', email: 'pat.doe@fabrikam.com', domainname: 'pat@contoso.com', roles: ['Salesperson'] },
] satisfies SeedUser[];

/** A systemuserid that names nobody. */
export const NOBODY_ID = '0f0f0f0f-0000-4000-8000-00000000dead';

/** The demo organisation with more users. */
export function demoSeedWith(...users: SeedUser[]): SeedDocument {
  const seed = demoSeed();
  return { ...seed, users: [...(seed.users ?? []), ...users] };
}
