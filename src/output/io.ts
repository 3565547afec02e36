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
}

export function systemIO(): IO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isStdoutTTY: process.stdout.isTTY === true,
    isStderrTTY: process.stderr.isTTY === true,
    isStdinTTY: process.stdin.isTTY === true,
  };
}
