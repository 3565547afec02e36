import { createHash, timingSafeEqual } from 'node:crypto';

/** The PKCE methods Entra accepts (RFC 7636); msal-node always sends S256. */
export type CodeChallengeMethod = 'S256' | 'plain';

/** The method of an authorize request; RFC 7636 says a challenge without one is `plain`. Undefined: not a method Entra knows. */
export function codeChallengeMethod(value: string | null): CodeChallengeMethod | undefined {
  if (value === null || value === '' || value === 'plain') return 'plain';
  return value === 'S256' ? 'S256' : undefined;
}

/** Whether a token request's `code_verifier` proves it comes from the client that started the sign-in. */
export function verifierMatches(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(derived);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
