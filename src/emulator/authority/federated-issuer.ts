import { randomUUID } from 'node:crypto';
import { checkValidity } from './assertion-validity.js';
import { entraErrors } from './entra-errors.js';
import { signRs256, verifyRsaSignature, type DecodedJwt } from './jwt.js';
import { SigningKey } from './signing-key.js';

/** The audience Entra expects in workload identity tokens (GitHub Actions, Kubernetes, AKS use it). */
const FEDERATED_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';

export interface FederatedTokenOptions {
  /** Default `api://AzureADTokenExchange`; another value lets a test see Entra's audience error. */
  audience?: string;
  /** Default 3600 seconds. */
  lifetimeSeconds?: number;
}

/**
 * The one external identity provider the emulator's authority trusts for workload identity
 * federation, standing in for GitHub Actions' or a Kubernetes cluster's token issuer. It mints the
 * JWTs such platforms write to a file (RS256, `iss` = this issuer, `sub` = the workload, `aud` =
 * api://AzureADTokenExchange), and checks them when an application presents one as its client
 * assertion: the application trusts this issuer for each subject in its seed's `federatedSubjects`.
 */
export class FederatedIssuer {
  private readonly key = new SigningKey();

  constructor(
    /** e.g. http://127.0.0.1:5555/_emulator/federated */
    readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  async mint(subject: string, options: FederatedTokenOptions = {}): Promise<string> {
    const { privateKey, kid } = await this.key.get();
    const issuedAt = Math.floor(this.now() / 1000);
    return signRs256(
      { kid },
      {
        iss: this.issuer,
        sub: subject,
        aud: options.audience ?? FEDERATED_TOKEN_AUDIENCE,
        iat: issuedAt,
        nbf: issuedAt,
        exp: issuedAt + (options.lifetimeSeconds ?? 3600),
        jti: randomUUID(),
      },
      privateKey,
    );
  }

  /** Entra's order: find a federated credential by issuer, audience and subject, then check the token itself. */
  async verify(jwt: DecodedJwt, trustedSubjects: readonly string[]): Promise<void> {
    const issuer = String(jwt.payload.iss);
    if (issuer !== this.issuer) throw entraErrors.federatedIssuerUnknown(issuer);
    const audiences = Array.isArray(jwt.payload.aud) ? jwt.payload.aud : [jwt.payload.aud];
    if (!audiences.includes(FEDERATED_TOKEN_AUDIENCE)) throw entraErrors.federatedAudienceUnknown(audiences.map(String).join(', '));
    const subject = String(jwt.payload.sub);
    if (!trustedSubjects.includes(subject)) throw entraErrors.federatedSubjectUnknown(subject);
    const { publicKey, kid } = await this.key.get();
    if (jwt.header.alg !== 'RS256' || jwt.header.kid !== kid || !verifyRsaSignature(jwt, 'RS256', publicKey)) {
      throw entraErrors.federatedBadSignature();
    }
    checkValidity(jwt, new Date(this.now()));
  }
}
