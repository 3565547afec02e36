import { Option, type Command } from 'commander';
import type { ProgramHost } from '../../program-host.js';

/**
 * Declares `dvas emulator` and its options. Only commander is loaded here: the emulator itself is
 * imported when the command runs, so other commands never pay for it.
 */
export function registerEmulatorCommand(program: Command, host: ProgramHost): void {
  const { io, setExitCode, contextFor } = host;
  program
    .command('emulator')
    .description('Run a local emulator of the Dataverse Web API and its Entra sign-in authority.')
    .addHelpText(
      'after',
      '\nWith -p/--profile <name>, also save a profile connected to the emulator as its application user\n' +
        '(certificate sign-in with the demo certificate; no secret needed), so that another terminal can\n' +
        'run `dvas whoami`, `dvas get accounts --as sam.sales@contoso.com`, and so on.',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--seed <file>', 'load this organisation (JSON) instead of the demo one')
    .option('--https', 'serve https with a self-signed certificate made at start; --json gives the path of its CA (caPath)')
    .option('--state <file>', 'keep the organisation in this file: loaded at start if it exists (else the seed), saved at exit')
    .addOption(
      new Option('--unknown-caller <mode>', 'an impersonation header naming no user: fail, or run as the caller')
        .choices(['error', 'ignore'])
        .default('error'),
    )
    .option('--token-lifetime <seconds>', 'lifetime of issued access tokens', '3600')
    .option('--limit-requests <n>', 'service protection: requests per user per window (real: 6000)')
    .option('--limit-window <seconds>', 'service protection: the sliding window (real: 300)')
    .option('--limit-execution-ms <n>', 'service protection: combined execution time per user per window (real: 1200000)')
    .option('--limit-concurrency <n>', 'service protection: concurrent requests per user (real: 52)')
    .option('--no-limits', 'turn the service protection limits off')
    .option('--faults <spec>', 'inject faults into the Web API, e.g. throttle=0.1,dropAfter=0.05,latency=20ms,seed=42 (docs/emulator-faults.md)')
    .option('--approve-device-codes <email>', 'approve every device-code sign-in at once as this user, who also signs in browser (interactive) sign-ins without a login hint')
    .option('--json', 'print one JSON line (url, tenantId, users, authority, clientId, clientSecret…) on stdout')
    .action(async (options, command: Command) => {
      // Ctrl+C is how an emulator is stopped: it shuts down itself (closes the server, removes the
      // certificate files it wrote) and answers 130, rather than being cut off as an interruption.
      host.handleInterruptsItself();
      const { runEmulatorCommand } = await import('./run.js');
      // -p/--profile is a global option, so commander files it on the root even after `emulator`.
      const profile: unknown = command.optsWithGlobals().profile;
      if (typeof profile !== 'string') return setExitCode(await runEmulatorCommand(options, { io }));
      const ctx = contextFor(command);
      setExitCode(await runEmulatorCommand({ ...options, profile }, { io, profiles: { store: ctx.profiles(), env: ctx.env } }));
    });
}
