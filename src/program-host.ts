import type { ContextFactory } from './context.js';
import type { IO } from './output/io.js';

/** What the program needs from main: how to make a command's context and where a command's exit code goes. */
export interface ProgramHost {
  io: IO;
  contextFor: ContextFactory;
  setExitCode(code: number): void;
  /**
   * For a command whose normal way to stop is Ctrl+C (the emulator): it handles SIGINT itself and
   * shuts down cleanly, so main() stops treating Ctrl+C as an interruption of it.
   */
  handleInterruptsItself(): void;
}
