import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/**
 * The one rule for where a request with dvas's token may go: the profile's environment, nowhere
 * else. The client checks every URL it builds or follows (an `@odata.nextLink` or a link the user
 * gave), and the auth policy checks again before it attaches the token, so no path through the
 * pipeline can hand a credential to another origin. Both refuse with the same sentence and exit 1:
 * the link came from somewhere dvas does not control, and nothing was sent.
 */
export function requireEnvironmentOrigin(url: URL, environmentOrigin: string): void {
  if (url.origin === environmentOrigin) return;
  throw new CliError(`Refusing to send a request to ${url.origin}: dvas sends its token only to the environment ${environmentOrigin}.`, {
    exitCode: ExitCode.Failure,
  });
}
