import { Option, type Command } from 'commander';
import type { IO } from '../../output/io.js';

/**
 * Declares `dvas emulator` and its options. Only commander is loaded here: the emulator itself is
 * imported when the command runs, so other commands never pay for it.
 */
export function registerEmulatorCommand(program: Command, io: IO, setExitCode: (code: number) => void): void {
  program
    .command('emulator')
    .description('Run a local emulator of the Dataverse Web API and its Entra sign-in authority.')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--seed <file>', 'load this organisation (JSON) instead of the demo one')
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
    .option('--approve-device-codes <email>', 'approve every device-code sign-in at once as this user')
    .option('--json', 'print one JSON line (url, tenantId, users, authority, clientId, clientSecret…) on stdout')
    .action(async (options) => {
      const { runEmulatorCommand } = await import('./run.js');
      setExitCode(await runEmulatorCommand(options, { io }));
    });
}
