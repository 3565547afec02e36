import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import type { CanFlags } from './run.js';

/** Declares `dvas can`; the runner loads only when the command runs. */
export function registerCanCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('can')
    .description('Say whether you (or, with --as, you acting as that user) may create, read, write… rows of a table (or one row), and why. Exit 0 yes, 5 no.')
    .argument('<verb>', 'create, read, write, delete, append, appendto, assign or share')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .option('--record <id>', "whether the depth reaches this row, and how: a GUID or an alternate key (accountnumber='ACC-002')")
    .action(async (verb: string, table: string, flags: CanFlags, command: Command) => {
      const { runCan } = await import('./run.js');
      const ctx = contextFor(command);
      const answer = await runCan(verb, table, flags, ctx);
      ctx.output.record(answer, [
        { header: 'allowed', value: (row) => (row.allowed === true ? 'yes' : row.allowed === false ? 'no' : 'unknown') },
        { header: 'privilege', value: (row) => `${row.privilege}${row.verdict.depth ? ` at ${row.verdict.depth}` : ''}` },
        ...(answer.record
          ? [{ header: 'row', value: (row: typeof answer) => `${row.record?.name ?? row.record?.id}: ${row.verdict.record?.reached === true ? 'reached' : row.verdict.record?.reached === false ? 'out of reach' : 'unknown'}` }]
          : []),
        { header: 'why', value: (row) => row.verdict.reasons.join(' ') },
        { header: 'granted by', value: (row) => (row.granting ? row.granting.join(', ') || 'no role' : 'unknown') },
      ]);
    });
}
