import { ExitCode } from './exit-codes.js';

export interface CliErrorOptions {
  exitCode?: ExitCode;
  hint?: string;
  /** A machine-readable code, e.g. the Dataverse error code 0x80040220. */
  code?: string;
  /** The HTTP status when the failure came from a response. */
  status?: number;
  /**
   * What `--verbose` adds under the message, e.g. the HTTP exchange. Whoever attaches it redacts it
   * first: the renderer prints it as it is.
   */
  detail?: string;
  cause?: unknown;
}

/**
 * An error meant for the person at the terminal: one plain sentence, an optional hint, the exit
 * code it maps to, and the original cause (kept for DVAS_DEBUG=1, never shown by default).
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly detail: string | undefined;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hint = options.hint;
    this.code = options.code;
    this.status = options.status;
    this.detail = options.detail;
  }
}

/** Bad flags, arguments or input: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options: Omit<CliErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.Usage });
    this.name = 'UsageError';
  }
}

/** A profile or configuration problem (unknown profile, corrupted profiles file, bad DVAS_* variable): exit 3. */
export class ConfigError extends CliError {
  constructor(message: string, options: Omit<CliErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.Config });
    this.name = 'ConfigError';
  }
}
