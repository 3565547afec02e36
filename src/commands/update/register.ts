import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { UpdateFlags } from './run.js';
import { quote } from '../../output/terminal-text.js';

/** Declares `dvas update`; the runner and its view load only when the command runs. */
export function registerUpdateCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('update')
    .description('Change one row (with --as, as that user, checked); never creates one unless --upsert.')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('<id>', "record id (GUID), or an alternate key such as accountnumber='A-1'")
    .argument('[-]', 'read the changes (JSON) from stdin')
    .option('--data <json>', 'the columns to change, as a JSON object')
    .option('--file <path>', 'a file holding the changes as a JSON object (- for stdin)')
    .option('--upsert', 'create the row when it does not exist (no If-Match)')
    .option('--if-match <etag>', 'change the row only at this version (its @odata.etag); 412 is exit 11')
    .option('--return', 'print the row after the change, as the service returns it')
    .action(async (table: string, id: string, dash: string | undefined, flags: UpdateFlags, command: Command) => {
      if (dash !== undefined && dash !== '-') throw new UsageError(`Unexpected argument ${quote(dash)}: only - (read the changes from stdin) may follow the id.`);
      const [{ runUpdate }, { updateFields }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      const view = await runUpdate(table, id, { data: flags.data, file: flags.file, stdin: dash === '-' }, flags, ctx);
      ctx.output.record(view, updateFields(view));
    });
}
