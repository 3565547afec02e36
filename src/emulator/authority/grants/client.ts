import type { EmulatorCore } from '../../core.js';
import type { ApplicationRegistration } from '../../seed/load.js';
import { presentsValidCredential, type ClientCredentialCheckers } from '../client-authentication.js';
import { entraErrors } from '../entra-errors.js';

/** The tenant's clients, as a grant checks who is asking: the registrations and their credential checks. */
export interface ClientDirectory {
  readonly core: Pick<EmulatorCore, 'organizationName'>;
  readonly credentialCheckers: ClientCredentialCheckers;
  application(clientId: string): ApplicationRegistration | undefined;
  /** The sample public client and the seed's applications. */
  isKnownClient(clientId: string): boolean;
}

/** A confidential client (client credentials): a registered application that proves who it is. */
export async function confidentialClient(authority: ClientDirectory, params: URLSearchParams): Promise<ApplicationRegistration> {
  const clientId = requiredClientId(params);
  const application = authority.application(clientId);
  if (!application) throw entraErrors.applicationNotFound(clientId, authority.core.organizationName);
  if (!(await presentsValidCredential(params, clientId, application, authority.credentialCheckers))) throw entraErrors.missingClientCredential();
  return application;
}

/**
 * A client in a person's sign-in (device code, refresh): known to the tenant, no credential needed
 * (public client flows), but a credential that is sent must be right, as Entra checks it too.
 */
export async function publicClient(authority: ClientDirectory, params: URLSearchParams): Promise<string> {
  const clientId = requiredClientId(params);
  if (!authority.isKnownClient(clientId)) throw entraErrors.applicationNotFound(clientId, authority.core.organizationName);
  await presentsValidCredential(params, clientId, authority.application(clientId), authority.credentialCheckers);
  return clientId;
}

function requiredClientId(params: URLSearchParams): string {
  const clientId = params.get('client_id');
  if (!clientId) throw entraErrors.missingParameter('client_id');
  return clientId.toLowerCase();
}

/** A required body parameter, or Entra's AADSTS900144. */
export function requiredParameter(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw entraErrors.missingParameter(name);
  return value;
}
