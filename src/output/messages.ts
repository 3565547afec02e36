import type { ChalkInstance } from 'chalk';
import { terminalSafeLines } from './terminal-text.js';

/** Lines for people, on stderr: never mixed into the data on stdout. */
export interface Messages {
  /** A neutral line, e.g. "Using the environment URL …". */
  note(text: string): void;
  warn(text: string): void;
  /** A done line, e.g. "Saved profile "dev"." */
  success(text: string): void;
  hint(text: string): void;
}

export function createMessages(stderr: { write(text: string): unknown }, chalk: ChalkInstance): Messages {
  // The lines may quote what a person typed or the service said: control characters never reach the terminal.
  return {
    note: (text) => stderr.write(`${terminalSafeLines(text)}\n`),
    warn: (text) => stderr.write(`${chalk.yellow('warning:')} ${terminalSafeLines(text)}\n`),
    success: (text) => stderr.write(`${chalk.green('✓')} ${terminalSafeLines(text)}\n`),
    hint: (text) => stderr.write(`${chalk.dim('hint:')} ${terminalSafeLines(text)}\n`),
  };
}
