import { Command, CommanderError, Option } from 'commander';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { systemIO, type IO } from './output/io.js';
import { VERSION } from './version.js';

export interface MainOptions {
  io?: IO;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds a fresh program per call (tests run several in one process). Command modules are
 * imported inside their actions, so `dvas --help` loads none of msal, undici or the emulator.
 */
export function buildProgram(io: IO, env: Readonly<Record<string, string | undefined>>, result: { exitCode: number }): Command {
  const program = new Command('dvas')
    .description('Run Microsoft Dataverse Web API operations as another user.')
    .version(VERSION, '-V, --version', 'print the dvas version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

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
    .option('--json', 'print one JSON line (url, tenantId, users) on stdout')
    .action(async (options) => {
      const { runEmulatorCommand } = await import('./commands/emulator.js');
      result.exitCode = await runEmulatorCommand(options, { io, env });
    });

  program
    .command('demo')
    .description('Start the embedded emulator and show dvas working against it.')
    .action(async () => {
      const { runDemo } = await import('./commands/demo.js');
      result.exitCode = await runDemo({ io });
    });

  return program;
}

/** Runs dvas with the given arguments and returns the exit code; never calls process.exit. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? systemIO();
  const env = options.env ?? process.env;
  const result = { exitCode: ExitCode.Ok as number };
  const program = buildProgram(io, env, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.exitCode;
  } catch (error) {
    return reportError(error, io, env);
  }
}

function reportError(error: unknown, io: IO, env: Readonly<Record<string, string | undefined>>): number {
  if (error instanceof CommanderError) {
    // Help and --version come through here with exit code 0; commander already printed usage errors.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`error: ${error.message}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    if (env.DVAS_DEBUG === '1' && error.cause) io.stderr.write(`${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    return error.exitCode;
  }
  io.stderr.write(`internal error: ${(error as Error)?.message ?? String(error)}\n`);
  if (env.DVAS_DEBUG === '1') io.stderr.write(`${String((error as Error)?.stack ?? '')}\n`);
  else io.stderr.write('hint: run again with DVAS_DEBUG=1 for the stack trace, and report it.\n');
  return ExitCode.Internal;
}
