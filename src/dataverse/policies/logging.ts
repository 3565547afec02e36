import { systemClock } from '../../clock/clock.js';
import { sanitizeHeaders, sanitizeUrl } from '../../http/sanitizer.js';
import { terminalSafe } from '../../output/terminal-text.js';
import type { Policy } from '../pipeline.js';

/**
 * --verbose: one block per attempt with the method, URL, status, time taken and headers. It is the
 * last policy, so it shows what really went on the wire, retries and the Authorization header
 * included (whose value, like every header off the allowlist, reads REDACTED). Bodies are never
 * logged: they hold business data, and a token response would hold secrets.
 */
export function loggingPolicy(options: { write: (text: string) => void; now?: () => number }): Policy {
  const now = options.now ?? systemClock.now;
  const headerLines = (prefix: string, headers: Iterable<readonly [string, string]>) =>
    sanitizeHeaders(headers).map(([name, value]) => `${prefix} ${terminalSafe(name)}: ${terminalSafe(value)}\n`).join('');
  return {
    name: 'logging',
    async send(request, next) {
      const started = now();
      options.write(`> ${request.method} ${sanitizeUrl(request.url)}\n${headerLines('>', request.headers.entries())}`);
      try {
        const response = await next(request);
        options.write(`< ${response.status} (${now() - started} ms)\n${headerLines('<', Object.entries(response.headers))}`);
        return response;
      } catch (error) {
        const reason = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'failed';
        options.write(`< no response (${reason}, ${now() - started} ms)\n`);
        throw error;
      }
    },
  };
}
