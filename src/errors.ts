import { ExitCode } from './exit-codes.js';

/**
 * An error meant for the person at the terminal: one plain sentence, an optional hint, the exit
 * code it maps to, and the original cause (kept for --verbose / DVAS_DEBUG=1, never shown by default).
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  /** A machine-readable code, e.g. the Dataverse error code 0x80040220. */
  readonly code: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hint = options.hint;
    this.code = options.code;
  }
}

export class UsageError extends CliError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.Usage });
    this.name = 'UsageError';
  }
}
