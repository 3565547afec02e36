import { bearerToken } from '../auth/bearer.js';
import type { AccessTokenClaims } from '../auth/tokens.js';
import type { EmulatorCore } from '../core.js';
import { errors } from './errors.js';
import type { EmulatorRequest } from './types.js';

/**
 * The claims of the request's bearer token, verified for this environment. Any failure is a 401
 * whose challenge names the emulator's authority, so a client learns where to sign in.
 */
export function authenticate(core: EmulatorCore, request: EmulatorRequest): AccessTokenClaims {
  const challenge = (message: string) =>
    errors.unauthorized(`${core.authorityUrl}/oauth2/authorize`, `${core.origin}/`, message);
  const header = request.headers.authorization;
  if (!header) throw challenge('Bearer token is missing.');
  const token = bearerToken(header);
  if (!token) throw challenge('The Authorization header is not a Bearer token.');
  const check = core.tokens.verify(token, core.origin);
  if (!check.ok) {
    const reasons: Record<typeof check.reason, string> = {
      malformed: 'The bearer token is malformed.',
      'bad-signature': 'The bearer token signature is invalid.',
      expired: 'The bearer token has expired.',
      'not-yet-valid': 'The bearer token is not valid yet.',
      'wrong-audience': 'The bearer token was issued for another audience.',
    };
    throw challenge(reasons[check.reason]);
  }
  return check.claims;
}
