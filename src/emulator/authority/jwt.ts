import { constants, createSign, verify, type KeyObject } from 'node:crypto';

/** A compact JWT taken apart. Nothing in it is trusted until a signature check says so. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const headerJson = parseObject(header);
  const payloadJson = parseObject(payload);
  if (!headerJson || !payloadJson) return undefined;
  return { header: headerJson, payload: payloadJson, signingInput: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
}

function parseObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The RSA algorithms Entra accepts in client assertions: RS256, and PS256 (what msal-node signs with a SHA-256 thumbprint). */
export type RsaAlgorithm = 'RS256' | 'PS256';

export function isRsaAlgorithm(value: unknown): value is RsaAlgorithm {
  return value === 'RS256' || value === 'PS256';
}

export function verifyRsaSignature(jwt: DecodedJwt, algorithm: RsaAlgorithm, publicKey: KeyObject): boolean {
  // PS256 per RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the digest (jsonwebtoken's choice too).
  const key =
    algorithm === 'PS256' ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : publicKey;
  try {
    return verify('sha256', Buffer.from(jwt.signingInput), key, jwt.signature);
  } catch {
    return false;
  }
}

export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const signingInput = `${encode({ ...header, alg: 'RS256', typ: 'JWT' })}.${encode(payload)}`;
  const signature = createSign('sha256').update(signingInput).sign(privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A numeric date claim (`exp`, `nbf`) as a Date, or undefined when absent or not a number. */
export function numericDate(value: unknown): Date | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined;
}
