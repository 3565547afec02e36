import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';

/** Declares `dvas roles`; the runner and its view load only when the command runs. */
export function registerRolesCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('roles')
    .description("List a user's security roles: assigned directly, or through which team.")
    .argument('[user]', 'systemuserid, aad:<object id>, email, UPN or DOMAIN\\user (default: whom your requests run as)')
    .action(async (user: string | undefined, _flags: unknown, command: Command) => {
      const [{ runRoles }, { ROLE_COLUMNS }] = await Promise.all([import('./run.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.list(await runRoles(user, ctx), ROLE_COLUMNS);
    });
}
