import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';

/** Declares `dvas delete`; the runner loads only when the command runs. */
export function registerDeleteCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('delete')
    .description('Delete one row (with --as, as that user); asks first on a terminal.')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('<id>', "record id (GUID), or an alternate key such as accountnumber='A-1'")
    .option('-y, --yes', 'delete without asking (required when stdin is not a terminal)')
    .action(async (table: string, id: string, flags: { yes?: boolean }, command: Command) => {
      const { runDelete } = await import('./run.js');
      const ctx = contextFor(command);
      const view = await runDelete(table, id, flags, ctx);
      if (view) ctx.output.record(view, [{ header: 'id', value: (deleted: typeof view) => deleted.id }, { header: 'deleted', value: () => true }]);
    });
}
