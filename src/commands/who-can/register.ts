import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import type { WhoCanFlags } from './run.js';

/** Declares `dvas who-can`; the runner and its view load only when the command runs. */
export function registerWhoCanCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('who-can')
    .description('List the users who may create, read, write… rows of a table (or reach one row), at which depth and through which roles.')
    .argument('<verb>', 'create, read, write, delete, append, appendto, assign or share')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .option('--record <id>', "only the users who reach this row, and how: a GUID or an alternate key (accountnumber='ACC-002')")
    .action(async (verb: string, table: string, flags: WhoCanFlags, command: Command) => {
      const [{ runWhoCan }, { whoCanColumns }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.list(await runWhoCan(verb, table, flags, ctx), whoCanColumns(flags.record !== undefined));
    });
}
