import type { Command } from 'commander';
import { systemClock, type Clock } from './clock/clock.js';
import { configDirectory } from './config/paths.js';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { GlobalOptions } from './options/global-options.js';
import { createColors, type Colors } from './output/colors.js';
import type { Column } from './output/columns.js';
import { dataStdout, type DataStdout } from './output/data-stdout.js';
import type { IO } from './output/io.js';
import { createMessages, type Messages } from './output/messages.js';
import { renderList, renderRecord } from './output/render.js';
import { withSpinner, type SpinnerHandle } from './output/spinner.js';
import { FileProfileStore } from './profiles/file-store.js';
import { resolveProfile, type ResolvedProfile } from './profiles/resolve.js';
import type { ProfileStore } from './profiles/store.js';
import { checkReadableFile } from './profiles/validate.js';
import type * as CreateClientModule from './dataverse/create-client.js';
import type { DryRunSettings } from './dataverse/dry-run.js';

type Env = Readonly<Record<string, string | undefined>>;
type CreateDataverseClient = typeof CreateClientModule.createDataverseClient;
export type DataverseClientOptions = Parameters<CreateDataverseClient>[0];
export type DataverseClient = Awaited<ReturnType<CreateDataverseClient>>;

/** The outside world as the context reaches it; tests replace any part. */
export interface ContextDependencies {
  /** Every reading of time and every wait of the run (retry waits, token expiry); tests pass a TestClock. */
  clock: Clock;
  /** The saved profiles; a file in the config directory unless a test passes a MemoryProfileStore. */
  profileStore(env: Env): ProfileStore;
  /**
   * Loads the Dataverse client factory. A dynamic import, so that msal and undici load only for
   * commands that call Dataverse: `dvas --help` and `dvas profile list` never pay for them.
   */
  loadDataverseClientFactory(): Promise<CreateDataverseClient>;
}

export const defaultDependencies: ContextDependencies = {
  clock: systemClock,
  profileStore: (env) => new FileProfileStore(configDirectory(env)),
  loadDataverseClientFactory: async () => (await import('./dataverse/create-client.js')).createDataverseClient,
};

/**
 * Everything a command reaches the outside through (house-style §2.3): streams, environment, the
 * global options, profiles, the Dataverse client, output, the clock. Built per command run; the
 * expensive parts are created only when first asked for.
 */
export interface CliContext {
  /** The streams; stdout knows whether data went out (see data-stdout.ts). */
  io: Omit<IO, 'stdout'> & { stdout: DataStdout };
  env: Env;
  options: GlobalOptions;
  colors: Colors;
  /** Aborted on Ctrl+C: pass it to anything long-running so it stops. */
  signal: AbortSignal;
  /** The run's one clock: the Dataverse client's retry waits and token expiry read it too. */
  clock: Clock;
  /** The clock's time as a Date. */
  now(): Date;
  /** Waits on the clock; rejects as soon as the run is interrupted. */
  sleep(ms: number): Promise<void>;
  /** The profile store, for the profile commands and `dvas emulator --profile`. */
  profiles(): ProfileStore;
  /** The profile this run uses (-p > DVAS_PROFILE > DVAS_URL variables > default); notes go to stderr once. */
  resolveProfile(): Promise<ResolvedProfile>;
  /**
   * A Dataverse client for the resolved profile, with the global --verbose, --dry-run and --offline
   * (dryRunSettings); without options, the run's one client. A bulk create overrides them: under
   * --dry-run a client per user that hands its first request over (its plan prints them all), and
   * no retries of its own on the client that sends rows (the bulk engine decides what each failure means).
   */
  dataverse(options?: Pick<DataverseClientOptions, 'impersonation' | 'retry' | 'dryRun'>): Promise<DataverseClient>;
  /**
   * --dry-run for this run (false without it): offline or not, the format, and the one list of
   * the lookups sent, which every Dataverse client of the run adds to.
   */
  dryRun: DryRunSettings | false;
  /** Writes data to stdout in the chosen --output format. */
  output: {
    /** `csvColumns`, when given, replace `columns` in CSV (the JSON field names, fieldColumns). */
    list<Row>(rows: readonly Row[], columns: readonly Column<Row>[], csvColumns?: readonly Column<Row>[]): void;
    record<Row>(row: Row, fields: readonly Column<Row>[]): void;
  };
  /** Notes, warnings, hints and done lines on stderr. */
  messages: Messages;
  /** Runs a task under a spinner on stderr when a person is watching a terminal. */
  withSpinner<T>(text: string, task: (spinner: SpinnerHandle) => Promise<T>): Promise<T>;
  /** For a command that fails after printing its data (a partly failed bulk run). */
  setExitCode(code: ExitCode): void;
}

export interface ContextInit {
  io: IO;
  env: Env;
  options: GlobalOptions;
  signal: AbortSignal;
  setExitCode(code: ExitCode): void;
  dependencies?: Partial<ContextDependencies>;
}

export function createContext(init: ContextInit): CliContext {
  const { env, options, signal } = init;
  const io = { ...init.io, stdout: dataStdout(init.io.stdout) };
  const dependencies: ContextDependencies = { ...defaultDependencies, ...init.dependencies };
  const colors = createColors(io, env, options.color);
  const messages = createMessages(io.stderr, colors.stderr);
  const target = {
    format: options.output,
    isTTY: io.isStdoutTTY,
    chalk: colors.stdout,
    ...(io.stdoutColumns ? { columns: io.stdoutColumns } : {}),
  };
  let store: ProfileStore | undefined;
  let resolved: Promise<ResolvedProfile> | undefined;
  let signedIn: Promise<DataverseClient> | undefined;
  const dryRun = dryRunSettings(options);

  const context: CliContext = {
    io,
    env,
    options,
    colors,
    signal,
    clock: dependencies.clock,
    now: () => new Date(dependencies.clock.now()),
    sleep: (ms) => dependencies.clock.sleep(ms, signal),
    dryRun,
    profiles: () => (store ??= options.dryRun ? dryRunStore(dependencies.profileStore(env)) : dependencies.profileStore(env)),
    resolveProfile: () =>
      (resolved ??= resolveProfile({
        flag: options.profile,
        env,
        readSaved: () => context.profiles().read(),
        checkFile: checkReadableFile,
      }).then((result) => {
        for (const note of result.notes) messages.note(note);
        return result;
      })),
    dataverse: (extra = {}) => {
      const create = async () => {
        const { profile } = await context.resolveProfile();
        const createDataverseClient = await dependencies.loadDataverseClientFactory();
        return createDataverseClient({ profile, env, io, verbose: options.verbose, dryRun, signal, clock: dependencies.clock, ...extra });
      };
      // One connection (and one token) per run for the signed-in identity: the denial diagnosis
      // in main's error path asks Dataverse with the client the command used.
      if (Object.keys(extra).length > 0) return create();
      return (signedIn ??= create());
    },
    output: {
      list: (rows, columns, csvColumns) => void io.stdout.write(renderList(rows, target.format === 'csv' && csvColumns ? csvColumns : columns, target)),
      record: (row, fields) => void io.stdout.write(renderRecord(row, fields, target)),
    },
    messages,
    withSpinner: (text, task) => withSpinner(text, { terminal: io.stderrTerminal, env, output: options.output, signal }, task),
    setExitCode: init.setExitCode,
  };
  return context;
}

/**
 * What --dry-run means for the Dataverse client: offline or not, and the request printed as an
 * HTTP message unless a script asked for JSON (-o json or -o ndjson given, as for errors).
 */
export function dryRunSettings(options: Pick<GlobalOptions, 'dryRun' | 'offline' | 'output' | 'outputRequested'>): DryRunSettings | false {
  if (!options.dryRun) return false;
  const format = options.outputRequested && (options.output === 'json' || options.output === 'ndjson') ? options.output : 'http';
  return { offline: options.offline, format, lookups: [] };
}

/**
 * --dry-run for the commands that write profiles (`profile add|use|remove`, `login`): the change
 * is worked out and checked as for real, so a bad name or an unknown profile still fails, and then
 * the run stops with exit 0 before anything is written.
 */
function dryRunStore(store: ProfileStore): ProfileStore {
  return {
    location: store.location,
    read: () => store.read(),
    update: async (change) => {
      change(await store.read());
      throw new CliError(`Dry run: nothing was written to ${store.location}.`, { exitCode: ExitCode.Ok });
    },
  };
}

/** How a command's action gets its context: from the options it was called with (global ones included). */
export type ContextFactory = (command: Command) => CliContext;
