/** Hosts a native app's loopback listener answers on; Entra treats them as the loopback redirect. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a redirect URI is one the emulator's clients may use: an `http` loopback address on any
 * port, as Entra allows for a public client that registered `http://localhost` (the port of a
 * loopback redirect is ignored when matching). The emulator's applications register no redirect
 * URIs, so it accepts the loopback ones for every client and nothing else: a code must never be
 * posted to a page on another machine.
 */
export function isLoopbackRedirect(redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.username === '' && url.password === '' && url.hash === '';
}
