import { Option, type Command, type OptionValues } from 'commander';
import { UsageError } from '../errors.js';
import { parseAsUser, type AsUser } from './as-user.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The options every command accepts, after environment fallbacks and checks. */
export interface GlobalOptions {
  /** -p/--profile only; DVAS_PROFILE is read by profile resolution, which reports where the choice came from. */
  profile: string | undefined;
  /** --as, else DVAS_AS. */
  as: AsUser | undefined;
  /** -o/--output, else table on a terminal and json when stdout is piped or redirected. */
  output: OutputFormat;
  /** Whether -o was given: only then does an error go to stdout as JSON (a script asked for JSON). */
  outputRequested: boolean;
  /** False with --no-color; NO_COLOR and terminals are weighed in output/colors.ts. */
  color: boolean;
  verbose: boolean;
  /** --dry-run: read-only lookups are sent, the operation is printed instead (docs/dry-run.md). */
  dryRun: boolean;
  /** --offline (only with --dry-run): nothing at all is sent, no sign-in. */
  offline: boolean;
  /** False with --no-diagnose: a privilege denial is reported as the service said it, with no requests to explain it. */
  diagnose: boolean;
}

/** Declares the global options on the root program; commander makes them valid before or after a subcommand. */
export function addGlobalOptions(program: Command): void {
  program
    .option('-p, --profile <name>', 'connection profile to use (env: DVAS_PROFILE)')
    .option('--as <user>', 'run as this user: systemuserid, aad:<object id>, email, UPN or DOMAIN\\user (env: DVAS_AS)')
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, json when piped)').choices(OUTPUT_FORMATS))
    .option('--no-color', 'no colour (also when NO_COLOR is set)')
    .option('--verbose', 'show more detail, including the HTTP exchange behind an error (secrets redacted)')
    .option('--dry-run', 'print the request that would be sent instead of sending it; read-only lookups it needs (a user, a table) are made, nothing is written')
    .option('--offline', 'with --dry-run: send nothing at all, not even those lookups, and do not sign in')
    .option('--no-diagnose', 'on a privilege denial, skip the requests that find out who lacks what');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function outputFormat(value: unknown): OutputFormat | undefined {
  return OUTPUT_FORMATS.find((format) => format === value);
}

/** The options that decide how anything is shown, errors included; never throws. */
export type PresentationOptions = Pick<GlobalOptions, 'output' | 'outputRequested' | 'color' | 'verbose'>;

export function readPresentationOptions(values: OptionValues, isStdoutTTY: boolean): PresentationOptions {
  const requested = outputFormat(values.output);
  return {
    output: requested ?? (isStdoutTTY ? 'table' : 'json'),
    outputRequested: requested !== undefined,
    color: values.color !== false,
    verbose: values.verbose === true,
  };
}

/**
 * Reads the parsed global options (from `command.optsWithGlobals()`). Throws a UsageError for an
 * --as / DVAS_AS value that could break a header or names no user form, and for --offline without
 * --dry-run (before any context exists, so nothing is sent).
 */
export function readGlobalOptions(
  values: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
  isStdoutTTY: boolean,
): GlobalOptions {
  if (values.offline === true && values.dryRun !== true) {
    throw new UsageError('--offline only goes with --dry-run (it makes the dry run send nothing at all): nothing was sent.');
  }
  const asFlag = text(values.as);
  const asVariable = env.DVAS_AS ? env.DVAS_AS : undefined;
  return {
    ...readPresentationOptions(values, isStdoutTTY),
    profile: text(values.profile),
    as: asFlag !== undefined ? parseAsUser(asFlag, '--as') : asVariable !== undefined ? parseAsUser(asVariable, 'DVAS_AS') : undefined,
    dryRun: values.dryRun === true,
    offline: values.offline === true,
    diagnose: values.diagnose !== false,
  };
}
