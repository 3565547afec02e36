/**
 * The streams a command writes to. stdout carries data only; everything for people (progress,
 * hints, warnings) goes to stderr. Tests pass buffers; production passes the process streams.
 */
export interface IO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
  isStdinTTY: boolean;
  /** The width of the terminal behind stdout, when there is one: tables narrow their text to fit it. */
  stdoutColumns?: number;
  /**
   * The terminal behind stderr, when there is one. Only the spinner uses it: it needs cursor
   * control that a plain `write` cannot give.
   */
  stderrTerminal?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function systemIO(): IO {
  const isStderrTTY = process.stderr.isTTY === true;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isStdoutTTY: process.stdout.isTTY === true,
    isStderrTTY,
    isStdinTTY: process.stdin.isTTY === true,
    ...(process.stdout.isTTY && process.stdout.columns > 0 ? { stdoutColumns: process.stdout.columns } : {}),
    ...(isStderrTTY ? { stderrTerminal: process.stderr } : {}),
  };
}
