import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import type { RunDvas } from './run.js';

/**
 * Declares `dvas demo`. The program's own `main` is handed in (rather than imported) so the tour
 * runs every command through the real program without an import cycle.
 */
export function registerDemoCommand(program: Command, contextFor: ContextFactory, runDvas: RunDvas): void {
  program
    .command('demo')
    .description('Start the embedded emulator and run a tour of dvas against it (about a second).')
    .action(async (_flags: unknown, command: Command) => {
      const { runDemo } = await import('./run.js');
      await runDemo(contextFor(command), runDvas);
    });
}
