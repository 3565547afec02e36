import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { isLoopbackHostname } from './loopback.js';

/** Codes after which the same request may well succeed if sent again. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
]);

/**
 * Failures that happen before the request is on the wire (the connection was never made): the
 * service cannot have acted on it.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

/** Whether a failure with this code happened before anything was sent. */
export function failedBeforeSending(code: string | undefined): boolean {
  return NOT_SENT_CODES.has(code ?? '');
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * A request that got no HTTP answer: refused, unresolvable, timed out, dropped, or an untrusted
 * TLS certificate. One sentence naming the host; the undici/Node error stays as the cause.
 */
export class NetworkFailureError extends CliError {
  readonly host: string;
  /** True when sending the same request again may succeed (not for DNS or TLS trust problems). */
  readonly transient: boolean;

  constructor(host: string, code: string, message: string, options: { transient: boolean; hint?: string; cause: unknown }) {
    super(message, {
      exitCode: ExitCode.Failure,
      code,
      cause: options.cause,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
    this.name = 'NetworkFailureError';
    this.host = host;
    this.transient = options.transient;
  }
}

/** Turns what undici or Node threw for a request to `url` into a NetworkFailureError. */
export function toNetworkFailure(error: unknown, url: URL): NetworkFailureError {
  if (error instanceof NetworkFailureError) return error;
  const host = url.host;
  const code = failureCode(error);
  const make = (message: string, hint?: string) =>
    new NetworkFailureError(host, code, message, { transient: TRANSIENT_CODES.has(code), cause: error, ...(hint ? { hint } : {}) });

  if (code === 'ECONNREFUSED') {
    const hint = isLoopbackHostname(url.hostname)
      ? `Nothing listens on ${host} on this machine: start the service there (the emulator: dvas emulator), or check the port in the URL.`
      : 'Check the URL and that the service is running.';
    return make(`Cannot connect to ${host}: the connection was refused.`, hint);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return make(`Cannot find ${host}: the name does not resolve (DNS).`, 'Check the URL for typos.');
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return make(`Cannot connect to ${host}: no answer in time.`, proxyHint());
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'TimeoutError') return make(`${host} did not answer in time.`);
  if (code === 'UND_ERR_BODY_TIMEOUT') return make(`${host} stopped sending its response.`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return make(`The connection to ${host} was closed before the response arrived.`);
  }
  if (TLS_CODE.test(code)) {
    return make(
      `Cannot open a trusted TLS connection to ${host} (${code}).`,
      'If a proxy or TLS inspection sits in between, set NODE_EXTRA_CA_CERTS to its CA certificate (a PEM file).',
    );
  }
  if (/proxy/i.test(messageOf(error))) return make(`The proxy refused the connection to ${host}: ${messageOf(error)}.`, proxyHint());
  return make(`The request to ${host} failed (${code}).`);
}

function proxyHint(): string {
  return 'Behind a proxy, set HTTPS_PROXY (and NO_PROXY for hosts to reach directly).';
}

/** The most specific code in the error or its causes (undici wraps Node's socket errors). */
function failureCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if ('code' in current && typeof current.code === 'string' && current.code !== 'UND_ERR') return current.code;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return current.name;
    current = current.cause;
  }
  return error instanceof Error ? error.name : 'UNKNOWN';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
