import type { ChalkInstance } from 'chalk';

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
  return {
    note: (text) => stderr.write(`${text}\n`),
    warn: (text) => stderr.write(`${chalk.yellow('warning:')} ${text}\n`),
    success: (text) => stderr.write(`${chalk.green('✓')} ${text}\n`),
    hint: (text) => stderr.write(`${chalk.dim('hint:')} ${text}\n`),
  };
}
