import type { EmulatorCore } from '../core.js';
import { AuthorizationCodeStore } from './authorization-codes.js';
import type { RawRoute } from '../http/server.js';
import { SeedError, type ApplicationRegistration } from '../seed/load.js';
import type { Store } from '../store/store.js';
import { registeredCertificate, type RegisteredCertificate } from './certificate-assertion.js';
import type { ClientCredentialCheckers } from './client-authentication.js';
import { DeviceCodeStore } from './device-codes.js';
import { FederatedIssuer, type FederatedTokenOptions } from './federated-issuer.js';
import { openIdConfiguration } from './openid-configuration.js';
import { findPerson, SignInRefusal, type Person } from './people.js';
import { RefreshTokenStore } from './refresh-tokens.js';
import { AuthorityRequestLog } from './request-log.js';
import { handleAuthorityRequest } from './routes.js';
import { SigningKey } from './signing-key.js';
import { matchTenant } from './tenant.js';

/** Microsoft's sample public client, pre-approved for every Dataverse environment (docs/dataverse-web-api.md §7). */
export const SAMPLE_PUBLIC_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';

/**
 * The systemuserid of the person `approveDeviceCodes` (`--approve-device-codes`) names, checked
 * before the emulator starts: a SeedError if the organisation has no such person who can sign in.
 */
export function deviceCodeApprover(store: Store, who: string): string {
  try {
    return findPerson(store, who).systemuserid;
  } catch (error) {
    if (error instanceof SignInRefusal) throw new SeedError(`Cannot approve device codes as '${who}': ${error.message}`);
    throw error;
  }
}

export interface AuthorityOptions {
  /** Lifetime of device codes (Entra: 900 seconds). */
  deviceCodeLifetimeSeconds: number;
  /** Lifetime of authorization codes (Entra: about 10 minutes). */
  authorizationCodeLifetimeSeconds: number;
  /**
   * The systemuserid of the person who approves every device code as it is issued
   * (`--approve-device-codes`), and who signs in at the authorize endpoint when its request has no
   * `login_hint` naming someone: the person at the emulated browser.
   */
  autoApproveUserId?: string;
}

/**
 * The emulator's Entra-style sign-in authority for its one tenant: the state behind the endpoints
 * (device codes, refresh tokens, signing keys, the request log) and the operations the emulator's
 * control endpoints and tests use. `route` serves it from the emulator's HTTP server.
 */
export class EmulatorAuthority {
  readonly log = new AuthorityRequestLog();
  readonly deviceCodes: DeviceCodeStore;
  readonly authorizationCodes: AuthorizationCodeStore;
  readonly refreshTokens = new RefreshTokenStore();
  readonly federatedIssuer: FederatedIssuer;
  /** Signs ID tokens; its public half is served at the `jwks_uri`. */
  readonly idTokenKey = new SigningKey();
  readonly credentialCheckers: ClientCredentialCheckers;
  private readonly applications = new Map<string, ApplicationRegistration>();
  private readonly certificates = new Map<string, RegisteredCertificate>();

  constructor(
    readonly core: EmulatorCore,
    readonly options: AuthorityOptions,
  ) {
    const now = () => core.clock.now();
    this.deviceCodes = new DeviceCodeStore(options.deviceCodeLifetimeSeconds * 1000, now);
    this.authorizationCodes = new AuthorizationCodeStore(options.authorizationCodeLifetimeSeconds * 1000, now);
    this.federatedIssuer = new FederatedIssuer(`${core.origin}/_emulator/federated`, now);
    for (const application of core.applications) {
      this.applications.set(application.clientId, application);
      if (application.certificate) this.certificates.set(application.clientId, registeredCertificate(application.certificate));
    }
    this.credentialCheckers = {
      certificateOf: (clientId) => this.certificates.get(clientId),
      federatedIssuer: this.federatedIssuer,
      audienceAccepted: (audience) => this.isTokenEndpoint(audience),
      now: () => new Date(now()),
    };
  }

  /** Where the endpoints are, e.g. http://127.0.0.1:5555/<tenant> (the Web API's challenge points here). */
  get url(): string {
    return this.core.authorityUrl;
  }

  /** The https issuer msal-node validates, e.g. https://127.0.0.1:5555/<tenant>/v2.0. */
  get issuer(): string {
    return openIdConfiguration(this.core.origin, this.core.tenantId).issuer;
  }

  readonly route: RawRoute = (req, res, body) => handleAuthorityRequest(this, req, res, body);

  application(clientId: string): ApplicationRegistration | undefined {
    return this.applications.get(clientId.toLowerCase());
  }

  /** Clients that may use the public-client flows (device code, authorization code): the sample public client and the seed's applications. */
  isKnownClient(clientId: string): boolean {
    return clientId.toLowerCase() === SAMPLE_PUBLIC_CLIENT_ID || this.applications.has(clientId.toLowerCase());
  }

  /**
   * Approves a pending device code as a person, as signing in on the verification page would.
   * Throws SignInRefusal for an unknown or expired code, or someone who cannot sign in.
   */
  approveDeviceCode(userCode: string, who: string): Person {
    const entry = this.deviceCodes.byUserCode(userCode);
    if (!entry) throw new SignInRefusal(404, 'unknown_user_code', `No device code sign-in is waiting for the code '${userCode}'.`);
    if (this.deviceCodes.isExpired(entry)) throw new SignInRefusal(400, 'expired_user_code', `The code '${userCode}' has expired.`);
    const person = findPerson(this.core.store, who);
    entry.approvedUserId = person.systemuserid;
    return person;
  }

  /** A workload identity token as GitHub Actions or Kubernetes would write it to a file. */
  mintFederatedToken(subject: string, options?: FederatedTokenOptions): Promise<string> {
    return this.federatedIssuer.mint(subject, options);
  }

  /**
   * Client assertions must be addressed to this authority: its token endpoint (v2 or v1, over http
   * or https, with the tenant id, one of its domains or an alias) or its issuer, as Entra accepts either.
   */
  private isTokenEndpoint(audience: string): boolean {
    let url: URL;
    try {
      url = new URL(audience);
    } catch {
      return false;
    }
    if (url.host !== new URL(this.core.origin).host) return false;
    const match = /^\/([^/]+)\/(oauth2\/v2\.0\/token|oauth2\/token|v2\.0)\/?$/i.exec(url.pathname);
    return match !== null && matchTenant(match[1] ?? '', this.core) !== undefined;
  }
}
