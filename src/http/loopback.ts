import { isIP } from 'node:net';

/**
 * The one loopback rule of dvas: true for names that can only mean this machine. These are the
 * only hosts dvas talks to over plain http (the emulator, a local proxy); anything else must be
 * https. Accepts a hostname as `URL.hostname` gives it (IPv6 in brackets) or bare.
 * - `localhost` and any `*.localhost` name (RFC 6761 §6.3: they resolve to loopback only);
 * - 127.0.0.0/8;
 * - `::1`, and IPv4-mapped 127.x.x.x (`::ffff:127.0.0.1`, which URL parsing writes as
 *   `::ffff:7f00:1`).
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) !== 6) return false;
  if (host === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(host)) return true;
  const mapped = /^(?:0{1,4}:){0,5}:?ffff:(.+)$/.exec(host.replace(/^::/, ''))?.[1];
  if (mapped === undefined) return false;
  if (isIP(mapped) === 4) return mapped.split('.')[0] === '127';
  const high = /^([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(mapped)?.[1];
  return high !== undefined && parseInt(high, 16) >> 8 === 0x7f;
}
