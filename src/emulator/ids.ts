import { createHash, randomUUID } from 'node:crypto';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_PATTERN.test(value);
}

/** Lower-cases a GUID; Dataverse compares ids case-insensitively and writes them lower-case. */
export function normalizeGuid(value: string): string {
  return value.toLowerCase();
}

/**
 * A GUID derived from a name, so that the demo organisation has the same ids on every start
 * (scripts and docs can name them). Shaped like an RFC 4122 name-based (v5) id.
 */
export function deterministicGuid(name: string): string {
  const hash = createHash('sha1').update(`dvas-emulator:${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function newGuid(): string {
  return randomUUID();
}
