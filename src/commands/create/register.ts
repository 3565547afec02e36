import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { CreateFlags } from './run.js';

/** Declares `dvas create`; the runner and its view load only when the command runs. */
export function registerCreateCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('create')
    .description('Create one row (with --as, as that user, checked).')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('[-]', 'read the row (JSON) from stdin')
    .option('--data <json>', 'the row as a JSON object')
    .option('--file <path>', 'a file holding the row as a JSON object (- for stdin)')
    .option('--return', 'print the created row as the service returns it')
    .action(async (table: string, dash: string | undefined, flags: CreateFlags, command: Command) => {
      if (dash !== undefined && dash !== '-') throw new UsageError(`Unexpected argument '${dash}': only - (read the row from stdin) may follow the table.`);
      const [{ runCreate }, { createFields }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      const view = await runCreate(table, { data: flags.data, file: flags.file, stdin: dash === '-' }, flags, ctx);
      ctx.output.record(view, createFields(view));
    });
}
