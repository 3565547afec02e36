import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key id for the JWT header and the JWKS: a hash of the public key. */
  kid: string;
}

/**
 * An RSA key pair made on first use: generating one takes ~150 ms, and most emulator runs (most
 * test files) never sign an ID token or a federated token. Fresh per emulator instance, so a token
 * signed by another instance fails verification.
 */
export class SigningKey {
  private pair: Promise<RsaKeyPair> | undefined;

  get(): Promise<RsaKeyPair> {
    this.pair ??= new Promise((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
        if (error) reject(error);
        else resolve({ publicKey, privateKey, kid: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27) });
      });
    });
    return this.pair;
  }

  /** The public key as a JWKS entry, as Entra's `jwks_uri` lists its keys. */
  async jwk(): Promise<Record<string, unknown>> {
    const { publicKey, kid } = await this.get();
    return { ...publicKey.export({ format: 'jwk' }), kty: 'RSA', use: 'sig', alg: 'RS256', kid };
  }
}
