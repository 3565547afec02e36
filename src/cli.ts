import { Command, CommanderError } from 'commander';
import { registerEmulatorCommand } from './commands/emulator/register.js';
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

  registerEmulatorCommand(program, io, (code) => {
    result.exitCode = code;
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
