/**
 * dvas exit codes: the one table (README "Exit codes" lists the same). Scripts branch on these,
 * so a number never changes meaning.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Config: 3,
  Auth: 4,
  PrivilegeDenied: 5,
  NotFound: 6,
  Throttled: 7,
  ImpersonationNotApplied: 8,
  PartialFailure: 9,
  Internal: 10,
  /** The row changed since the ETag given to --if-match was read (412): read it again, then write. */
  Conflict: 11,
  Interrupted: 130,
  /** stdout's reader went away (`dvas … | head`): 128 + SIGPIPE, set by bin/dvas.js. */
  BrokenPipe: 141,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
