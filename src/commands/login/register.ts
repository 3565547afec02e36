import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';

/** Declares `dvas login` and `dvas logout`; msal loads only when a sign-in really runs. */
export function registerLoginCommands(program: Command, contextFor: ContextFactory): void {
  program
    .command('login')
    .description('Sign in as a person (device-code and interactive profiles); later commands reuse the cached sign-in.')
    .action(async (_flags: unknown, command: Command) => {
      const [{ runLogin }, { LOGIN_FIELDS }] = await Promise.all([import('./login.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runLogin(ctx), LOGIN_FIELDS);
    });

  program
    .command('logout')
    .description("Remove the profile's signed-in account and its tokens from the token cache.")
    .action(async (_flags: unknown, command: Command) => {
      const [{ runLogout }, { LOGOUT_FIELDS }] = await Promise.all([import('./logout.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runLogout(ctx), LOGOUT_FIELDS);
    });
}
