/** `Authorization: Bearer <token>`: the scheme is case-insensitive, the token one run of non-space characters. */
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The token of a bearer Authorization header, or undefined for none or another scheme. Both the
 * dispatcher (which authenticates) and service protection (which meters by the token's account)
 * read the header, and must agree on what a token is.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}
