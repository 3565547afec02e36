import { SeedError, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { CliError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { IO } from '../../output/io.js';

export interface EmulatorCommandOptions {
  port: string;
  seed?: string;
  unknownCaller: 'error' | 'ignore';
  tokenLifetime: string;
  json?: boolean;
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'.`);
  }
  return number;
}

/** What `--json` prints: one line a script can read after starting the emulator in the background. */
export function startupInfo(emulator: RunningEmulator): Record<string, unknown> {
  return {
    url: emulator.url,
    apiUrl: emulator.apiUrl,
    tenantId: emulator.tenantId,
    organizationId: emulator.organizationId,
    users: emulator.users,
  };
}

/** `dvas emulator`: start, print where it listens and who is in it, serve until SIGINT/SIGTERM. */
export async function runEmulatorCommand(options: EmulatorCommandOptions, ctx: { io: IO; env?: Readonly<Record<string, string | undefined>> }): Promise<number> {
  const port = wholeNumber(options.port, '--port', 0, 65535);
  const tokenLifetimeSeconds = wholeNumber(options.tokenLifetime, '--token-lifetime', 1, 86_400);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port,
      ...(options.seed ? { seedFile: options.seed } : {}),
      unknownCaller: options.unknownCaller,
      tokenLifetimeSeconds,
    });
  } catch (error) {
    if (error instanceof SeedError) throw new CliError(error.message, { exitCode: ExitCode.Usage, cause: error });
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`Port ${port} is already in use.`, { exitCode: ExitCode.Failure, hint: 'Pick another with --port, or --port 0 for a free one.' });
    }
    throw error;
  }
  const info = startupInfo(emulator);
  if (options.json) ctx.io.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    ctx.io.stdout.write(`Dataverse emulator listening at ${emulator.url}\n`);
    ctx.io.stdout.write(`Web API: ${emulator.apiUrl}\nTenant:  ${emulator.tenantId}\n\nUsers:\n`);
    for (const user of emulator.users) {
      ctx.io.stdout.write(
        `  ${user.fullname.padEnd(16)} ${user.internalemailaddress.padEnd(30)} systemuserid=${user.systemuserid} objectid=${user.azureactivedirectoryobjectid ?? '-'}${user.isdisabled ? ' (disabled)' : ''}\n`,
      );
    }
    ctx.io.stderr.write('Press Ctrl+C to stop.\n');
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await emulator.close();
  return signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Ok;
}
