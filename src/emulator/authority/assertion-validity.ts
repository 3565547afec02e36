import { entraErrors } from './entra-errors.js';
import { numericDate, type DecodedJwt } from './jwt.js';

/** Clocks drift: like Entra's token validation, allow five minutes either side. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** `exp` is required and must be in the future; `nbf`, if present, must not be. */
export function checkValidity(jwt: DecodedJwt, now: Date): void {
  const notBefore = numericDate(jwt.payload.nbf);
  const expiry = numericDate(jwt.payload.exp);
  const expired = !expiry || expiry.getTime() <= now.getTime() - CLOCK_SKEW_MS;
  const early = notBefore !== undefined && notBefore.getTime() > now.getTime() + CLOCK_SKEW_MS;
  if (expired || early) throw entraErrors.assertionOutsideValidity(now, notBefore, expiry);
}
