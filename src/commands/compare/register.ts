import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { MAX_PAGE_SIZE } from '../../dataverse/facts.js';
import type { CompareFlags } from './run.js';

/** Declares `dvas compare`; the runner and its view load only when the command runs. */
export function registerCompareCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('compare')
    .description('Run one query as two users and show the rows, and the columns of those rows, that one sees and the other does not.')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('<user...>', 'one user (compared with whom your requests run as: --as, else you) or two users; every --as form')
    .option('--select <columns>', 'columns to compare, comma-separated (default: every column)')
    .option('--filter <expr>', 'OData $filter, the same for both')
    .option('--orderby <expr>', 'OData $orderby')
    .option('--top <n>', 'at most this many rows per user')
    .option('--all', 'follow the next links and read every page')
    .option('--page-size <n>', `rows per page, 1 to ${MAX_PAGE_SIZE}`)
    .action(async (table: string, users: string[], flags: CompareFlags, command: Command) => {
      const [{ runCompare }, { differenceRows, DIFFERENCE_COLUMNS }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      const answer = await runCompare(table, users, flags, ctx);
      if (ctx.options.output === 'json' || ctx.options.output === 'ndjson') return ctx.output.record(answer, []);
      ctx.messages.note(`${answer.first.label}: ${answer.first.rows} rows; ${answer.second.label}: ${answer.second.rows} rows; ${answer.both} seen by both.`);
      if (answer.same) ctx.messages.note('Both see the same rows and values.');
      ctx.output.list(differenceRows(answer), DIFFERENCE_COLUMNS);
    });
}
