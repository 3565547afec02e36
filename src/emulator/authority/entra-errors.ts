/**
 * The error responses of the emulator's sign-in authority, in Microsoft Entra ID's shape:
 * `{ error, error_description: "AADSTS<code>: <text>\r\nTrace ID…\r\nCorrelation ID…\r\nTimestamp…",
 * error_codes, timestamp, trace_id, correlation_id }`. The codes and texts follow Entra's published
 * error-code reference and observed responses; docs/emulator-decisions.md lists the ones that are
 * best guesses. `invalid_client` is answered with 401, everything else with 400, as Entra does.
 */
export class EntraError extends Error {
  constructor(
    /** The OAuth error: invalid_client, invalid_grant, authorization_pending… */
    readonly error: string,
    /** The AADSTS number. */
    readonly code: number,
    readonly description: string,
    readonly status: 400 | 401 = error === 'invalid_client' ? 401 : 400,
  ) {
    super(`AADSTS${code}: ${description}`);
    this.name = 'EntraError';
  }
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

/** Entra writes timestamps as `2016-01-09 02:02:12Z`. */
function entraTimestamp(at: Date): string {
  return at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function entraErrorBody(failure: EntraError, ids: { traceId: string; correlationId: string }, at: Date): EntraErrorBody {
  const timestamp = entraTimestamp(at);
  return {
    error: failure.error,
    error_description: `${failure.message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
  };
}

const CERTIFICATE_DOCS = 'Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .';
const FEDERATION_HINT =
  'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

export const entraErrors = {
  missingParameter(name: string): EntraError {
    return new EntraError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
  },

  postOnly(method: string): EntraError {
    return new EntraError('invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`);
  },

  tenantNotFound(tenant: string, error: 'invalid_tenant' | 'invalid_request'): EntraError {
    return new EntraError(
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  },

  /** Client credentials name no user, so `common`/`organizations` cannot say which tenant is meant. */
  noTenantIdentified(): EntraError {
    return new EntraError('invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
  },

  applicationNotFound(clientId: string, directory: string): EntraError {
    return new EntraError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  },

  invalidClientSecret(clientId: string): EntraError {
    return new EntraError(
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  },

  missingClientCredential(): EntraError {
    return new EntraError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  },

  unsupportedAssertionType(type: string): EntraError {
    return new EntraError('invalid_request', 50027, `Invalid client_assertion_type '${type}'. Expected 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`);
  },

  malformedAssertion(): EntraError {
    return new EntraError('invalid_request', 50027, 'JWT token is invalid or malformed.');
  },

  assertionKeyNotFound(thumbprint: string, clientId: string): EntraError {
    return new EntraError(
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    );
  },

  assertionBadSignature(thumbprint: string): EntraError {
    return new EntraError(
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']`,
    );
  },

  assertionClientMismatch(): EntraError {
    return new EntraError('invalid_client', 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${CERTIFICATE_DOCS}`);
  },

  assertionAudienceMismatch(): EntraError {
    return new EntraError('invalid_client', 700023, `Client assertion audience claim does not match Realm issuer. ${CERTIFICATE_DOCS}`);
  },

  assertionOutsideValidity(now: Date, notBefore: Date | undefined, expiry: Date | undefined): EntraError {
    const show = (at: Date | undefined) => (at ? entraTimestamp(at) : 'unspecified');
    return new EntraError(
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraTimestamp(now)}, assertion valid from ${show(notBefore)}, expiry time of assertion ${show(expiry)}. ${CERTIFICATE_DOCS}`,
    );
  },

  federatedIssuerUnknown(issuer: string): EntraError {
    return new EntraError('invalid_client', 700211, `No matching federated identity record found for presented assertion issuer '${issuer}'. ${FEDERATION_HINT}`);
  },

  federatedAudienceUnknown(audience: string): EntraError {
    return new EntraError('invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${audience}'. ${FEDERATION_HINT}`);
  },

  federatedSubjectUnknown(subject: string): EntraError {
    return new EntraError('invalid_client', 700213, `No matching federated identity record found for presented assertion subject '${subject}'. ${FEDERATION_HINT}`);
  },

  federatedBadSignature(): EntraError {
    return new EntraError('invalid_client', 50013, 'Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]');
  },

  clientCredentialsNeedDefaultScope(scope: string): EntraError {
    return new EntraError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  },

  moreThanOneResource(scope: string): EntraError {
    return new EntraError(
      'invalid_scope',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    );
  },

  unsupportedGrantType(grantType: string): EntraError {
    return new EntraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  },

  authorizationPending(): EntraError {
    return new EntraError('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
  },

  deviceCodeExpired(): EntraError {
    return new EntraError('expired_token', 70019, 'Verification code expired.');
  },

  /** An unknown, already redeemed or another client's device code or refresh token. */
  invalidGrant(): EntraError {
    return new EntraError('invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  },

  malformedRefreshToken(): EntraError {
    return new EntraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  },

  /** The authorize endpoint cannot send anything to a redirect URI the application has not registered: an error page. */
  redirectUriNotRegistered(redirectUri: string, clientId: string): EntraError {
    return new EntraError(
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    );
  },

  unsupportedResponseType(responseType: string): EntraError {
    return new EntraError('unsupported_response_type', 700054, `response_type '${responseType}' is not enabled for the application.`);
  },

  invalidCodeChallengeMethod(): EntraError {
    return new EntraError('invalid_request', 50149, 'Invalid Code_Challenge_method parameter.');
  },

  /** prompt=none, and nobody the emulator could sign in silently. */
  loginRequired(): EntraError {
    return new EntraError('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
  },

  authorizationCodeRedeemed(): EntraError {
    return new EntraError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  },

  authorizationCodeExpired(): EntraError {
    return new EntraError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  },

  codeVerifierMismatch(): EntraError {
    return new EntraError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  },

  redirectUriMismatch(given: string, authorized: string): EntraError {
    return new EntraError('invalid_grant', 500112, `The reply address '${given}' does not match the reply address '${authorized}' provided when requesting Authorization code.`);
  },
};
