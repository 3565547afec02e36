import { Option, type Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { AUTH_KINDS } from '../../profiles/types.js';
import type { ProfileAddFlags } from './add.js';
import type { ProfileSetFlags } from './set.js';

const TENANT_HELP = 'Entra tenant: its id, or a domain name it owns (contoso.onmicrosoft.com)';

/**
 * Declares `dvas profile add|set|list|show|use|remove`. Each action imports its runner when it runs, then
 * renders what the runner returns; the runners never print data themselves.
 */
export function registerProfileCommands(program: Command, contextFor: ContextFactory): void {
  const profile = program.command('profile').description('Manage connection profiles: which environment, and how to sign in to it.');

  profile
    .command('add')
    .description('Save a connection profile (never a secret: those come from the environment or a prompt).')
    .argument('<name>', 'profile name: letters, digits, "_" and "-"')
    .requiredOption('--url <url>', 'environment URL, e.g. https://contoso.crm.dynamics.com')
    .addOption(new Option('--auth <kind>', 'how to sign in (default: certificate with --certificate, else device-code)').choices(AUTH_KINDS))
    .option('--tenant <tenant>', `${TENANT_HELP} (default: learned from the environment)`)
    .option('--client-id <id>', 'application (client) id')
    .option('--certificate <pem>', 'certificate file (PEM), for --auth certificate')
    .option('--key <pem>', 'private key file (PEM), for --auth certificate')
    .option('--authority <url>', 'authority URL: a sovereign cloud or on-premises AD FS')
    .option('--api-version <version>', 'Web API version (default: v9.2)')
    .option('--default', 'make it the default profile')
    .action(async (name: string, flags: ProfileAddFlags, command: Command) => {
      const [{ runProfileAdd }, { PROFILE_FIELDS }] = await Promise.all([import('./add.js'), import('./view.js')]);
      const ctx = contextFor(command);
      ctx.output.record(await runProfileAdd(name, flags, ctx), PROFILE_FIELDS);
    });

  profile
    .command('set')
    .description("Change a saved profile: the flags of `profile add`, laid over what is saved and checked the same way.")
    .argument('<name>', 'profile name')
    .option('--url <url>', 'environment URL, e.g. https://contoso.crm.dynamics.com')
    .addOption(new Option('--auth <kind>', 'how to sign in').choices(AUTH_KINDS))
    .option('--tenant <tenant>', TENANT_HELP)
    .option('--client-id <id>', 'application (client) id')
    .option('--certificate <pem>', 'certificate file (PEM), for --auth certificate')
    .option('--key <pem>', 'private key file (PEM), for --auth certificate')
    .option('--authority <url>', 'authority URL: a sovereign cloud or on-premises AD FS')
    .option('--api-version <version>', 'Web API version, e.g. v9.2')
    .option('--default', 'make it the default profile')
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
