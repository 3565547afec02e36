import { Option, type Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { AUTH_KINDS } from '../../profiles/types.js';
import type { ProfileAddFlags } from './add.js';
import type { ProfileSetFlags } from './set.js';

const URL_HELP = 'environment URL, e.g. https://contoso.crm.dynamics.com';
const TENANT_HELP = 'Entra tenant: its id, or a domain name it owns (contoso.onmicrosoft.com)';

/**
 * The options `profile add` and `profile set` share: one list, so that `set` takes exactly what
 * `add` takes (its help differs only where `add` states a default).
 */
function withConnectionOptions(command: Command, help: { auth: string; tenant: string; apiVersion: string }): Command {
  return command
    .addOption(new Option('--auth <kind>', help.auth).choices(AUTH_KINDS))
    .option('--tenant <tenant>', help.tenant)
    .option('--client-id <id>', 'application (client) id')
    .option('--certificate <pem>', 'certificate file (PEM), for --auth certificate')
    .option('--key <pem>', 'private key file (PEM), for --auth certificate')
    .option('--authority <url>', 'authority URL: a sovereign cloud or on-premises AD FS')
    .option('--api-version <version>', help.apiVersion)
    .option('--default', 'make it the default profile');
}

/**
 * Declares `dvas profile add|set|list|show|use|remove`. Each action imports its runner when it runs, then
 * renders what the runner returns; the runners never print data themselves.
 */
export function registerProfileCommands(program: Command, contextFor: ContextFactory): void {
  const profile = program.command('profile').description('Manage connection profiles: which environment, and how to sign in to it.');

  const add = profile
    .command('add')
    .description('Save a connection profile (never a secret: those come from the environment or a prompt).')
    .argument('<name>', 'profile name: letters, digits, "_" and "-"')
    .requiredOption('--url <url>', URL_HELP);
  withConnectionOptions(add, {
    auth: 'how to sign in (default: certificate with --certificate, else device-code)',
    tenant: `${TENANT_HELP} (default: learned from the environment)`,
    apiVersion: 'Web API version (default: v9.2)',
  })
    .action(async (name: string, flags: ProfileAddFlags, command: Command) => {
      const [{ runProfileAdd }, { PROFILE_FIELDS }] = await Promise.all([import('./add.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runProfileAdd(name, flags, ctx), PROFILE_FIELDS);
    });

  const set = profile
    .command('set')
    .description("Change a saved profile: the flags of `profile add`, laid over what is saved and checked the same way.")
    .argument('<name>', 'profile name')
    .option('--url <url>', URL_HELP);
  withConnectionOptions(set, { auth: 'how to sign in', tenant: TENANT_HELP, apiVersion: 'Web API version, e.g. v9.2' })
    .action(async (name: string, flags: ProfileSetFlags, command: Command) => {
      const [{ runProfileSet }, { PROFILE_FIELDS }] = await Promise.all([import('./set.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runProfileSet(name, flags, ctx), PROFILE_FIELDS);
    });

  profile
    .command('list')
    .description('List the saved profiles; the default is marked.')
    .action(async (_flags: unknown, command: Command) => {
      const [{ runProfileList }, { PROFILE_COLUMNS }] = await Promise.all([import('./list.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.list(await runProfileList(ctx), PROFILE_COLUMNS);
    });

  profile
    .command('show')
    .description('Show a profile; without a name, the one commands would use now and why.')
    .argument('[name]', 'profile name')
    .action(async (name: string | undefined, _flags: unknown, command: Command) => {
      const [{ runProfileShow }, { PROFILE_FIELDS }] = await Promise.all([import('./show.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runProfileShow(name, ctx), [...PROFILE_FIELDS, { header: 'source', value: (view) => view.source }]);
    });

  profile
    .command('use')
    .description('Make a profile the default.')
    .argument('<name>', 'profile name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const [{ runProfileUse }, { PROFILE_FIELDS }] = await Promise.all([import('./use.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runProfileUse(name, ctx), PROFILE_FIELDS);
    });

  profile
    .command('remove')
    .description('Remove a saved profile.')
    .argument('<name>', 'profile name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { runProfileRemove } = await import('./remove.js');
      const ctx = contextFor(command);
      ctx.output.record(await runProfileRemove(name, ctx), [
        { header: 'removed', value: (result) => result.removed },
        { header: 'defaultProfile', value: (result) => result.defaultProfile },
      ]);
    });
}
