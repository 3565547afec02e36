import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { entraErrors } from './entra-errors.js';
import { checkValidity } from './assertion-validity.js';
import { isRsaAlgorithm, verifyRsaSignature, type DecodedJwt } from './jwt.js';

/** A certificate registered for an application, with the thumbprints assertions name it by. */
export interface RegisteredCertificate {
  publicKey: KeyObject;
  /** base64url SHA-1 of the DER certificate: the `x5t` header (RS256 assertions). */
  x5t: string;
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` header (what msal-node sends with `thumbprintSha256`). */
  x5tS256: string;
}

export function registeredCertificate(pem: string): RegisteredCertificate {
  const certificate = new X509Certificate(pem);
  return {
    publicKey: certificate.publicKey,
    x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(certificate.raw).digest('base64url'),
  };
}

/**
 * Checks a client assertion signed with an application's certificate (the `iss` = client id kind):
 * the key named by the thumbprint header must be the registered certificate's, the signature must
 * verify with it, `sub` must be the client id, `aud` one of this authority's token endpoints, and
 * the time window current. Throws the EntraError Entra answers with.
 */
export function verifyCertificateAssertion(
  jwt: DecodedJwt,
  expected: {
    clientId: string;
    certificate: RegisteredCertificate | undefined;
    audienceAccepted: (audience: string) => boolean;
    now: Date;
  },
): void {
  const thumbprintHeader = jwt.header['x5t#S256'] ?? jwt.header.x5t;
  const thumbprint = typeof thumbprintHeader === 'string' ? thumbprintHeader : '';
  const shownThumbprint = Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();
  const certificate = expected.certificate;
  const matches =
    certificate !== undefined &&
    (jwt.header['x5t#S256'] !== undefined ? thumbprint === certificate.x5tS256 : thumbprint === certificate.x5t);
  if (!certificate || !matches) throw entraErrors.assertionKeyNotFound(shownThumbprint, expected.clientId);
  if (!isRsaAlgorithm(jwt.header.alg) || !verifyRsaSignature(jwt, jwt.header.alg, certificate.publicKey)) {
    throw entraErrors.assertionBadSignature(shownThumbprint);
  }
  if (String(jwt.payload.sub).toLowerCase() !== expected.clientId) throw entraErrors.assertionClientMismatch();
  const audience = jwt.payload.aud;
  if (typeof audience !== 'string' || !expected.audienceAccepted(audience)) throw entraErrors.assertionAudienceMismatch();
  checkValidity(jwt, expected.now);
}
