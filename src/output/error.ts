import type { ChalkInstance } from 'chalk';
import { CommanderError } from 'commander';
import type { Diagnosis } from '../access/diagnosis.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { singleLine } from './columns.js';
import { formatDocument } from './document.js';
import { terminalSafe, terminalSafeLines } from './terminal-text.js';

/** Everything dvas says about a failure, before it is formatted as text or JSON. */
export interface ErrorReport {
  exitCode: number;
  message: string;
  code: string | undefined;
  hint: string | undefined;
  status: number | undefined;
  /** Redacted detail for --verbose (the HTTP exchange). */
  detail: string | undefined;
  /** The error itself, for the stack and cause chain under DVAS_DEBUG=1. */
  error: unknown;
  /** For a privilege denial: who lacks what (src/access/diagnose-denial.ts), shown under the service's own error. */
  diagnosis?: Diagnosis;
}

const USAGE_HINT = 'Add --help to the command to see its usage.';
/** Commander suggests a command only when one is close to the typed word; either way, where the list is. */
const COMMANDS_HINT = '`dvas --help` lists the commands.';

/** Commander's messages start with "error: " and may add a suggestion line ("(Did you mean --profile?)"). */
function commanderMessage(error: CommanderError): string {
  return error.message
    .replace(/^error:\s*/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}

export function describeError(error: unknown): ErrorReport {
  const report = { code: undefined, hint: undefined, status: undefined, detail: undefined, error };
  if (error instanceof CliError) {
    return { ...report, exitCode: error.exitCode, message: error.message, code: error.code, hint: error.hint, status: error.status, detail: error.detail };
  }
  if (error instanceof CommanderError) {
    const hint = error.code === 'commander.unknownCommand' ? COMMANDS_HINT : USAGE_HINT;
    return { ...report, exitCode: ExitCode.Usage, message: commanderMessage(error), hint };
  }
  // Not an error dvas anticipated: a bug. Say so, and how to get what a bug report needs.
  const message = error instanceof Error ? error.message : String(error);
  return {
    ...report,
    exitCode: ExitCode.Internal,
    message: `dvas failed unexpectedly: ${message}`,
    hint: 'Run again with DVAS_DEBUG=1 for the stack trace, and report it.',
  };
}

/** The stack and every cause below it, for DVAS_DEBUG=1 only. */
function debugText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    parts.push(`${depth === 0 ? '' : 'caused by: '}${current instanceof Error ? (current.stack ?? current.message) : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${parts.join('\n')}\n`;
}

/**
 * For stderr: `error: <sentence> [code]`, then the diagnosis of a denial, the hint, --verbose detail
 * and the DVAS_DEBUG stack. The error line is always the service's: the diagnosis comes after it.
 * Every part may hold outside text (a name typed, the service's message and code): control
 * characters in it are escaped here, where it reaches the terminal.
 */
export function formatErrorText(report: ErrorReport, options: { verbose: boolean; debug: boolean; chalk: ChalkInstance }): string {
  const { chalk } = options;
  let text = `${chalk.red.bold('error:')} ${terminalSafeLines(report.message)}${report.code ? ` ${chalk.dim(`[${terminalSafe(report.code)}]`)}` : ''}\n`;
  text += diagnosisText(report.diagnosis, chalk);
  if (report.hint) text += `${chalk.dim('hint:')} ${terminalSafeLines(report.hint)}\n`;
  if (options.verbose && report.detail) text += `\n${terminalSafeLines(report.detail).replace(/\n?$/, '\n')}`;
  if (options.debug) text += `\n${terminalSafeLines(debugText(report.error))}`;
  return text;
}

/** `diagnosis: <answer>` and its reasons indented under it; one line when there is none, nothing under --no-diagnose. */
function diagnosisText(diagnosis: Diagnosis | undefined, chalk: ChalkInstance): string {
  if (!diagnosis || diagnosis.status === 'skipped') return '';
  // Names and messages in it come from Dataverse: kept on their line, escape sequences defused.
  if (diagnosis.status !== 'diagnosed') return `${chalk.dim('diagnosis:')} ${singleLine(diagnosis.reason)}\n`;
  const [answer, ...reasons] = diagnosis.lines.map(singleLine);
  return `${chalk.bold('diagnosis:')} ${answer ?? ''}\n${reasons.map((line) => `  ${line}\n`).join('')}`;
}

/**
 * For stdout when a script asked for JSON: `{"error":{"code","message","hint","status"}}`, every key
 * always present (null when unknown) so `jq .error.code` never needs a guard; a privilege denial adds
 * `diagnosis` (schemas/error.schema.json). NDJSON gets one line.
 */
export function formatErrorJson(report: ErrorReport, format: 'json' | 'ndjson'): string {
  const body = {
    error: {
      code: report.code ?? null,
      message: report.message,
      hint: report.hint ?? null,
      status: report.status ?? null,
      ...(report.diagnosis ? { diagnosis: report.diagnosis } : {}),
    },
  };
  return formatDocument(body, format);
}
