import type { OutputFormat } from '../options/global-options.js';
import type { IO } from './io.js';
import { terminalSafe } from './terminal-text.js';

/** The handle a task gets to say what it is doing now ("page 3 of …"). */
export interface SpinnerHandle {
  update(text: string): void;
  /** Whether a spinner is showing: a task that reports progress otherwise writes plain lines instead. */
  readonly visible: boolean;
}

export interface SpinnerSettings {
  /** The terminal behind stderr; no spinner without one. */
  terminal: IO['stderrTerminal'];
  env: Readonly<Record<string, string | undefined>>;
  output: OutputFormat;
  /** Aborted on Ctrl+C: the spinner stops at once instead of spinning over the interrupted task. */
  signal: AbortSignal;
}

/**
 * A spinner is for a person watching a terminal: only when stderr is one, never in CI (where logs
 * would fill with frames), with TERM=dumb, or when a machine format was asked for on stdout.
 */
export function spinnerAllowed(settings: Omit<SpinnerSettings, 'signal'>): boolean {
  if (!settings.terminal?.isTTY) return false;
  // A pseudo-terminal that reports 0 columns (`script` with no size, some containers) makes ora
  // count Infinity lines to clear, and it never stops clearing them.
  if ('columns' in settings.terminal && settings.terminal.columns === 0) return false;
  if (settings.env.CI !== undefined || settings.env.TERM === 'dumb') return false;
  return settings.output === 'table';
}

const silent: SpinnerHandle = { update: () => undefined, visible: false };

/**
 * Runs `task` under a spinner on stderr when one is allowed, and otherwise just runs it: no
 * "- text" line either, as ora would print when disabled. ora is loaded only when it will spin.
 */
export async function withSpinner<T>(text: string, settings: SpinnerSettings, task: (spinner: SpinnerHandle) => Promise<T>): Promise<T> {
  if (!spinnerAllowed(settings) || settings.terminal === undefined) return task(silent);
  const { default: ora } = await import('ora');
  const spinner = ora({ text: terminalSafe(text), stream: settings.terminal, isEnabled: true, discardStdin: false }).start();
  const stop = () => spinner.stop();
  settings.signal.addEventListener('abort', stop, { once: true });
  try {
    return await task({ update: (next) => void (spinner.text = terminalSafe(next)), visible: true });
  } finally {
    settings.signal.removeEventListener('abort', stop);
    stop();
  }
}
