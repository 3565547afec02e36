import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';

/** Declares `dvas whoami`; the runner and its view load only when the command runs. */
export function registerWhoamiCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('whoami')
    .description('Show the user Dataverse runs your requests as; with --as, the user acted as (checked) and who signed in.')
    .action(async (_flags: unknown, command: Command) => {
      const [{ runWhoami }, { whoamiFields }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      const view = await runWhoami(ctx);
      ctx.output.record(view, whoamiFields(view));
    });
}
