import { isIP } from 'node:net';

/**
 * True for names that can only mean this machine: localhost, 127.0.0.0/8 and ::1. These are the
 * only hosts dvas talks to over plain http (the emulator); anything else must be https.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}
