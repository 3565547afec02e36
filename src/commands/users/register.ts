import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { MAX_PAGE_SIZE } from '../../dataverse/facts.js';
import type { UsersFlags } from './run.js';

/** Declares `dvas users`; the runner and its view load only when the command runs. */
export function registerUsersCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('users')
    .description('Find users by name, email or domain name, with the ids --as takes.')
    .argument('[search]', 'part of a name, email or domain name, or a systemuserid / Entra object id (default: every user)')
    .option('--page-size <n>', `rows per request while reading every page (1-${MAX_PAGE_SIZE}; default ${MAX_PAGE_SIZE})`)
    .action(async (search: string | undefined, flags: UsersFlags, command: Command) => {
      const [{ runUsers }, { USER_COLUMNS, USER_CSV_COLUMNS }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.list(await runUsers(search, flags, ctx), USER_COLUMNS, USER_CSV_COLUMNS);
    });
}
