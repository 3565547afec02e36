import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { isLoopbackHostname } from './loopback.js';
import { quote } from '../output/terminal-text.js';

/**
 * Parses a profile's environment URL and refuses plain http anywhere but on this machine: a bearer
 * token sent over http to another host could be read on the way.
 */
export function parseEnvironmentUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new CliError(`The environment URL ${quote(raw)} is not a valid URL.`, {
      exitCode: ExitCode.Config,
      hint: 'Use the environment URL, e.g. https://contoso.crm.dynamics.com.',
      cause: error,
    });
  }
  assertSecureUrl(url, 'environment');
  return url;
}

/** Throws unless the URL is https, or http to a loopback host. */
export function assertSecureUrl(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHostname(url.hostname)) return;
  const hint =
    url.protocol === 'http:'
      ? `Use https://${url.host}: plain http is accepted only for this machine (localhost, 127.0.0.0/8, ::1), e.g. the dvas emulator.`
      : 'Use an https:// URL.';
  throw new CliError(`Refusing the ${what} URL ${url.origin}: it is not https.`, { exitCode: ExitCode.Config, hint });
}
