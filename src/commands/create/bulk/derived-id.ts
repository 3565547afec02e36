import { createHash } from 'node:crypto';

/**
 * The primary key dvas gives a row that names none: `uuid(sha256(runId ":" position))` in the
 * version-4 layout (docs/bulk-create.md, "Ids and exactly once"). Derived, not random, so every
 * retry and a --resume after a kill send the row under the same key, and the service's primary
 * key makes a second row impossible.
 */
export function derivedId(runId: string, position: number): string {
  const hex = createHash('sha256').update(`${runId}:${position}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
