import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { UsageError } from '../../errors.js';

interface RolesFlags {
  privileges?: boolean;
  effective?: boolean;
  table?: string;
}

/** Declares `dvas roles`; the runner and its view load only when the command runs. */
export function registerRolesCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('roles')
    .description("List a user's security roles (directly or through which team), or with --privileges every privilege they grant, or with --as B --effective what applies when you act as B.")
    .argument('[user]', 'systemuserid, aad:<object id>, email, UPN or DOMAIN\\user (default: whom your requests run as)')
    .option('--privileges', 'every privilege the user holds, its depth, and every role that grants it')
    .option('--effective', 'with --as: the privileges both you and that user hold, at the lesser depth')
    .option('--table <name>', 'with --privileges or --effective: only the privileges of this table')
    .action(async (user: string | undefined, flags: RolesFlags, command: Command) => {
      const ctx = contextFor(command);
      if (flags.privileges && flags.effective) throw new UsageError('Give --privileges or --effective, not both.');
      if (flags.table !== undefined && !flags.privileges && !flags.effective) throw new UsageError('--table goes with --privileges or --effective.');
      if (flags.effective) {
        if (user !== undefined) throw new UsageError('--effective compares you with the --as user: give no [user] argument.');
        const [{ runEffective, actOnBehalfSentence }, { EFFECTIVE_COLUMNS }] = await Promise.all([import('./privileges.js'), import('./privileges-view.js')]);
        const answer = await runEffective(flags, ctx);
        if (ctx.options.output === 'json' || ctx.options.output === 'ndjson') return ctx.output.record(answer, []);
        ctx.messages.note(actOnBehalfSentence(answer));
        return ctx.output.list(answer.privileges, EFFECTIVE_COLUMNS);
      }
      if (flags.privileges) {
        const [{ runPrivileges }, { PRIVILEGE_COLUMNS }] = await Promise.all([import('./privileges.js'), import('./privileges-view.js')]);
        return ctx.output.list(await runPrivileges(user, flags, ctx), PRIVILEGE_COLUMNS);
      }
      const [{ runRoles }, { ROLE_COLUMNS, ROLE_CSV_COLUMNS }] = await Promise.all([import('./run.js'), import('./view.js')]);
      ctx.output.list(await runRoles(user, ctx), ROLE_COLUMNS, ROLE_CSV_COLUMNS);
    });
}
