import { timingSafeEqual } from 'node:crypto';
import type { ApplicationRegistration } from '../seed/load.js';
import { verifyCertificateAssertion, type RegisteredCertificate } from './certificate-assertion.js';
import { entraErrors } from './entra-errors.js';
import type { FederatedIssuer } from './federated-issuer.js';
import { decodeJwt } from './jwt.js';

const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientCredentialCheckers {
  certificateOf(clientId: string): RegisteredCertificate | undefined;
  federatedIssuer: FederatedIssuer;
  /** Whether an assertion's `aud` names this authority's token endpoint. */
  audienceAccepted(audience: string): boolean;
  now(): Date;
}

/**
 * Checks the credential a client presents in a token request, if any: `client_secret`, or a
 * `client_assertion` that is either signed with the application's certificate (`iss` = the client
 * id) or a federated workload token (any other `iss`), as Entra tells the two apart. Returns false
 * when no credential was sent (the caller decides whether one is required); throws the EntraError
 * Entra answers with when a credential is wrong.
 */
export async function presentsValidCredential(
  params: URLSearchParams,
  clientId: string,
  application: ApplicationRegistration | undefined,
  checkers: ClientCredentialCheckers,
): Promise<boolean> {
  const secret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  if (secret !== null) {
    if (!application?.clientSecret || !sameSecret(secret, application.clientSecret)) throw entraErrors.invalidClientSecret(clientId);
    return true;
  }
  if (assertion === null) return false;
  const assertionType = params.get('client_assertion_type') ?? '';
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw entraErrors.unsupportedAssertionType(assertionType);
  const jwt = decodeJwt(assertion);
  if (!jwt) throw entraErrors.malformedAssertion();
  if (String(jwt.payload.iss).toLowerCase() === clientId) {
    verifyCertificateAssertion(jwt, {
      clientId,
      certificate: checkers.certificateOf(clientId),
      audienceAccepted: checkers.audienceAccepted,
      now: checkers.now(),
    });
  } else {
    await checkers.federatedIssuer.verify(jwt, application?.federatedSubjects ?? []);
  }
  return true;
}

function sameSecret(presented: string, registered: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(registered, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
