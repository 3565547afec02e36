import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { REDACTED, sanitizeHeaders } from '../http/sanitizer.js';
import type { PipelineRequest, SendRequest } from './pipeline.js';

/**
 * Thrown once --dry-run has printed the request, instead of sending it: the command stops there
 * with exit 0. (Nothing after the request can run: there is no response to go on.)
 */
export class DryRunStop extends CliError {
  constructor() {
    super('Dry run: the request above was not sent.', { exitCode: ExitCode.Ok });
    this.name = 'DryRunStop';
  }
}

/**
 * --dry-run's transport: writes the request as an HTTP message (method and URL, headers, blank
 * line, body exactly as it would be sent) and throws DryRunStop. No token was acquired: the
 * Authorization line only says where the bearer token would go.
 */
export function dryRunTransport(write: (text: string) => void): SendRequest {
  return async (request: PipelineRequest) => {
    write(formatRequest(request));
    throw new DryRunStop();
  };
}

export function formatRequest(request: PipelineRequest): string {
  const headers = sanitizeHeaders([...request.headers.entries(), ['Authorization', REDACTED]]);
  const lines = [`${request.method} ${request.url.toString()}`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\n')}\n${request.body === undefined ? '' : `\n${request.body}\n`}`;
}
