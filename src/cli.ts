import { Command, CommanderError } from 'commander';
import { registerEmulatorCommand } from './commands/emulator/register.js';
import { registerDemoCommand } from './commands/demo/register.js';
import { registerGetCommand } from './commands/get/register.js';
import { registerLoginCommands } from './commands/login/register.js';
import { registerProfileCommands } from './commands/profile/register.js';
import { registerCreateCommand } from './commands/create/register.js';
import { registerWriteCommands } from './commands/write-commands.js';
import { registerRolesCommand } from './commands/roles/register.js';
import { registerCanCommand } from './commands/can/register.js';
import { registerWhoCanCommand } from './commands/who-can/register.js';
import { registerCompareCommand } from './commands/compare/register.js';
import { registerUsersCommand } from './commands/users/register.js';
import { registerWhoamiCommand } from './commands/whoami/register.js';
import { registerCompletionCommand } from './commands/completion/register.js';
import { addExamplesToHelp } from './help/examples.js';
import { createContext, defaultDependencies, type CliContext, type ContextDependencies } from './context.js';
import type { Diagnosis } from './access/diagnosis.js';
import { ErrorCode, isErrorCode } from './dataverse/facts.js';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { addGlobalOptions, readGlobalOptions, readPresentationOptions } from './options/global-options.js';
import { createColors } from './output/colors.js';
import { describeError, formatErrorJson, formatErrorText } from './output/error.js';
import { trackStdout, type DataStdout } from './output/data-stdout.js';
import { systemIO, type IO } from './output/io.js';
import { terminalSafeLines } from './output/terminal-text.js';
import type { ProgramHost } from './program-host.js';
import { VERSION } from './version.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface MainOptions {
  io?: IO;
  env?: Env;
  /** Replaces parts of the outside world (clock, profile store, Dataverse client factory) in tests. */
  dependencies?: Partial<ContextDependencies>;
}

/**
 * Builds a fresh program per call (tests run several in one process). Command modules are
 * imported inside their actions, so `dvas --help` loads none of msal, undici or the emulator.
 */
export function buildProgram(host: ProgramHost): Command {
  const { io } = host;
  const program = new Command('dvas')
    .description('Run Microsoft Dataverse Web API operations as another user.')
    .version(VERSION, '-V, --version', 'print the dvas version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    // A command's own help does not repeat the options every command takes (--as, -o, -p…): its
    // last line points to `dvas --help`, which lists them (src/help/examples.ts).
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // main() reports every error itself, as text or as JSON, so commander's own line is dropped.
      outputError: () => undefined,
    });
  addGlobalOptions(program);

  // In the order `dvas --help` lists them: the data commands, then set-up, then the emulator.
  registerWhoamiCommand(program, host.contextFor);
  registerGetCommand(program, host.contextFor);
  registerCreateCommand(program, host);
  registerWriteCommands(program, host.contextFor);
  registerRolesCommand(program, host.contextFor);
  registerCanCommand(program, host.contextFor);
  registerWhoCanCommand(program, host.contextFor);
  registerCompareCommand(program, host.contextFor);
  registerUsersCommand(program, host.contextFor);
  registerProfileCommands(program, host.contextFor);
  registerLoginCommands(program, host.contextFor);
  registerCompletionCommand(program, host.contextFor);
  registerEmulatorCommand(program, host);
  registerDemoCommand(program, host.contextFor, (argv, options) => main(argv, options));
  addExamplesToHelp(program);

  return program;
}

/**
 * Ctrl+C while a command runs: abort the context's signal (spinners stop, requests can cancel) and
 * answer 130. The handler exists only while main runs, so a second Ctrl+C after that, or any outside
 * main, gets Node's default: exit at once.
 */
function interruptOn(controller: AbortController): { interrupted: Promise<never>; dispose(): void } {
  let onSignal: () => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onSignal = () => {
      controller.abort();
      reject(new CliError('Interrupted.', { exitCode: ExitCode.Interrupted }));
    };
  });
  // A rejection nobody awaits (main finished first) must not become an unhandled rejection.
  interrupted.catch(() => undefined);
  process.on('SIGINT', onSignal);
  // Once disposed, `interrupted` never settles: the race in main() then waits for the command alone.
  return { interrupted, dispose: () => void process.off('SIGINT', onSignal) };
}

/** Runs dvas with the given arguments and returns the exit code; never calls process.exit. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const given = options.io ?? systemIO();
  const stdout = trackStdout(given.stdout);
  const io: IO = { ...given, stdout };
  const env = options.env ?? process.env;
  const controller = new AbortController();
  let exitCode: number = ExitCode.Ok;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  // What the completion scripts call on Tab (`dvas completion`). Answered before commander parses:
  // the words are a command line being typed, not options for this run (`-o js` is no error), and
  // it must never fail noisily, so it is no command of the program, hidden or not. bash sends the
  // line itself instead of its words (src/commands/completion/bash-line.ts).
  if (argv[0] === '__complete' || argv[0] === '__complete-bash') {
    const { runComplete } = await import('./commands/completion/run.js');
    const unused = () => {
      throw new Error('completion reads the program, never runs it');
    };
    const program = buildProgram({ io, setExitCode, contextFor: unused, handleInterruptsItself: unused });
    await runComplete(program, argv, io, env, { ...defaultDependencies, ...options.dependencies });
    return ExitCode.Ok;
  }
  let context: CliContext | undefined;
  const interrupt = interruptOn(controller);
  const program = buildProgram({
    io,
    setExitCode,
    handleInterruptsItself: () => interrupt.dispose(),
    contextFor: (command) =>
      (context ??= createContext({
        io,
        env,
        options: readGlobalOptions(command.optsWithGlobals(), env, io.isStdoutTTY),
        signal: controller.signal,
        setExitCode,
        ...(options.dependencies ? { dependencies: options.dependencies } : {}),
      })),
  });
  try {
    const parsing = program.parseAsync(argv, { from: 'user' });
    // If Ctrl+C wins the race, the command may still fail later; that failure is moot.
    parsing.catch(() => undefined);
    await Promise.race([parsing, interrupt.interrupted]);
    return exitCode;
  } catch (error) {
    return await reportError(error, program, io, stdout, env, context);
  } finally {
    interrupt.dispose();
  }
}

/**
 * The only place an error becomes output and an exit code. Options are read from the root program,
 * which holds the global ones even when the command never got to build its context.
 */
async function reportError(error: unknown, program: Command, io: IO, stdout: DataStdout, env: Env, context: CliContext | undefined): Promise<number> {
  if (error instanceof CommanderError) {
    // --help, --version and `dvas help [command]` end here with exit code 0.
    if (error.exitCode === 0) return ExitCode.Ok;
    // `dvas` or `dvas profile` alone: commander has printed the help to stderr; that is the whole answer.
    if (error.code === 'commander.help') return ExitCode.Usage;
  }
  // A CliError with exit code 0 is a deliberate stop, not a failure (--dry-run printed the
  // request): a note for people on stderr, and stdout keeps only the data already written.
  if (error instanceof CliError && error.exitCode === ExitCode.Ok) {
    io.stderr.write(`${terminalSafeLines(error.message)}\n`);
    return ExitCode.Ok;
  }
  const report = describeError(error);
  const diagnosed = context ? await diagnosisOf(error, context) : undefined;
  if (diagnosed) {
    report.diagnosis = diagnosed.diagnosis;
    if (diagnosed.message) report.message = diagnosed.message;
    if (diagnosed.hint) report.hint = diagnosed.hint;
  }
  const presentation = readPresentationOptions(program.opts(), io.isStdoutTTY);
  // Once data went to stdout the error goes to stderr only, and a streamed JSON array is closed:
  // what was written stays data a script can read, and the exit code says it is incomplete.
  stdout.closeOpenDocuments();
  if (!stdout.started && presentation.outputRequested && (presentation.output === 'json' || presentation.output === 'ndjson')) {
    io.stdout.write(formatErrorJson(report, presentation.output));
  } else {
    const chalk = createColors(io, env, presentation.color).stderr;
    io.stderr.write(formatErrorText(report, { verbose: presentation.verbose, debug: env.DVAS_DEBUG === '1', chalk }));
  }
  return report.exitCode;
}

/**
 * A privilege denial from any command gets its diagnosis here, in one step of the error path
 * (src/access/diagnose-denial.ts, loaded only then): the diagnosis comes under the service's own
 * error and never changes the exit code. --no-diagnose skips its requests.
 */
async function diagnosisOf(error: unknown, context: CliContext): Promise<{ diagnosis: Diagnosis; message?: string; hint?: string } | undefined> {
  if (!(error instanceof CliError)) return undefined;
  if (!isErrorCode(error.code, ErrorCode.PrivilegeDenied) && !isErrorCode(error.code, ErrorCode.CannotActOnBehalfOfAnotherUser)) return undefined;
  const { diagnoseDenial } = await import('./access/diagnose-denial.js');
  return diagnoseDenial(error, context);
}
