import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInInfo, writeDemoCertificateFiles, type DemoCertificateFiles } from '../../emulator/authority/sign-in-info.js';
import { FaultSpecError, SeedError, startEmulator, type LimitsOption, type RunningEmulator } from '../../emulator/index.js';
import { CliError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { IO } from '../../output/io.js';
import type { ProfileStore } from '../../profiles/store.js';
import { checkProfileSlot, saveEmulatorProfile, type SavedEmulatorProfile } from './save-profile.js';
import { quote } from '../../output/terminal-text.js';

export interface EmulatorCommandOptions {
  port: string;
  seed?: string;
  /** Load the organisation from this file when it exists, and save it there at exit. */
  state?: string;
  /** Serve https with a certificate made at start. */
  https?: boolean;
  unknownCaller: 'error' | 'ignore';
  tokenLifetime: string;
  /** False with --no-limits. */
  limits: boolean;
  limitRequests?: string;
  limitWindow?: string;
  limitExecutionMs?: string;
  limitConcurrency?: string;
  faults?: string;
  /** Approve every device-code sign-in as this person (email). */
  approveDeviceCodes?: string;
  json?: boolean;
  /** The global -p/--profile: save a profile connected to this emulator under that name. */
  profile?: string;
}

/** Where `--profile` saves: the run's profile store and environment (for the config directory). */
export interface ProfileTarget {
  store: ProfileStore;
  env: Readonly<Record<string, string | undefined>>;
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not ${quote(value)}.`);
  }
  return number;
}

/** The service protection limits the flags ask for: the real ones, scaled ones, or none. */
function limitsFromFlags(options: EmulatorCommandOptions): LimitsOption {
  const flags = [
    { name: 'requests', flag: '--limit-requests', value: options.limitRequests, max: 1_000_000_000 },
    { name: 'windowSeconds', flag: '--limit-window', value: options.limitWindow, max: 86_400 },
    { name: 'executionMs', flag: '--limit-execution-ms', value: options.limitExecutionMs, max: 1_000_000_000 },
    { name: 'concurrency', flag: '--limit-concurrency', value: options.limitConcurrency, max: 1_000_000 },
  ].filter((entry): entry is typeof entry & { value: string } => entry.value !== undefined);
  if (!options.limits) {
    if (flags[0]) throw new UsageError(`--no-limits cannot be combined with ${flags[0].flag}.`);
    return false;
  }
  return Object.fromEntries(flags.map(({ name, flag, value, max }) => [name, wholeNumber(value, flag, 1, max)]));
}

/** What `--json` prints: one line a script can read after starting the emulator in the background. */
export function startupInfo(emulator: RunningEmulator, demoCertificate?: DemoCertificateFiles, saved?: SavedEmulatorProfile, ca?: CaFile): Record<string, unknown> {
  return {
    ...(saved ? { profile: saved.profile.name } : {}),
    url: emulator.url,
    apiUrl: emulator.apiUrl,
    tenantId: emulator.tenantId,
    organizationId: emulator.organizationId,
    users: emulator.users,
    statsUrl: emulator.statsUrl,
    healthUrl: emulator.healthUrl,
    caPath: ca?.path ?? null,
    state: emulator.state ?? null,
    limits: emulator.limits ?? null,
    faults: emulator.faults ?? null,
    ...signInInfo(emulator.authority, demoCertificate),
  };
}

/** `dvas emulator`: start, print where it listens and who is in it, serve until SIGINT/SIGTERM. */
export async function runEmulatorCommand(options: EmulatorCommandOptions, ctx: { io: IO; profiles?: ProfileTarget }): Promise<number> {
  const port = wholeNumber(options.port, '--port', 0, 65535);
  const tokenLifetimeSeconds = wholeNumber(options.tokenLifetime, '--token-lifetime', 1, 86_400);
  const limits = limitsFromFlags(options);
  // A saved profile would outlive the certificate, which is new at each start.
  if (options.https && options.profile !== undefined) throw new UsageError('--https cannot be combined with --profile: the certificate is made anew at each start.');
  const profileTarget = options.profile !== undefined ? ctx.profiles : undefined;
  if (options.profile !== undefined) {
    if (!profileTarget) throw new CliError('Internal: --profile without a profile store.', { exitCode: ExitCode.Internal });
    await checkProfileSlot(options.profile, profileTarget.store);
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port,
      ...(options.seed ? { seedFile: options.seed } : {}),
      ...(options.state !== undefined ? { stateFile: options.state } : {}),
      ...(options.https ? { https: true } : {}),
      unknownCaller: options.unknownCaller,
      tokenLifetimeSeconds,
      limits,
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.approveDeviceCodes !== undefined ? { approveDeviceCodes: options.approveDeviceCodes } : {}),
    });
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(error.message, { cause: error });
    if (error instanceof SeedError) throw new CliError(error.message, { exitCode: ExitCode.Usage, cause: error });
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`Port ${port} is already in use.`, { exitCode: ExitCode.Failure, hint: 'Pick another with --port, or --port 0 for a free one.' });
    }
    throw error;
  }
  // Listen for the stop signals before announcing the URL: a script that reads the line and stops
  // the emulator at once must get a clean shutdown, not the default signal death. The listeners
  // stay until the shutdown is done: a library's exit hook (conf's atomically, loaded by --profile)
  // re-sends the signal it saw, and that echo must not kill the process halfway through.
  const onSignal = (received: NodeJS.Signals) => resolveStop(received);
  let resolveStop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => (resolveStop = resolve));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  let saved: SavedEmulatorProfile | undefined;
  try {
    if (options.profile !== undefined && profileTarget) saved = await saveEmulatorProfile(options.profile, emulator, profileTarget.store, profileTarget.env);
  } catch (error) {
    stopListening();
    await emulator.close();
    throw error;
  }
  // With --profile the certificate files are the profile's, under the config directory: stdout,
  // --json and the profile name the same ones (they outlive the emulator, so nothing removes them).
  const demoCertificate: DemoCertificateFiles | undefined = saved?.certificateFiles
    ? { certificatePath: saved.certificateFiles.certificatePath, privateKeyPath: saved.certificateFiles.keyPath, remove: async () => undefined }
    : await writeDemoCertificateFiles(emulator.authority);
  const ca = emulator.caCertificate === undefined ? undefined : await writeCaFile(emulator.caCertificate);
  const info = startupInfo(emulator, demoCertificate, saved, ca);
  if (saved) ctx.io.stderr.write(describeSavedProfile(saved));
  if (options.json) ctx.io.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    ctx.io.stdout.write(`Dataverse emulator listening at ${emulator.url}\n`);
    ctx.io.stdout.write(`Web API: ${emulator.apiUrl}\nTenant:  ${emulator.tenantId}\nStats:   ${emulator.statsUrl}\nHealth:  ${emulator.healthUrl}\n`);
    ctx.io.stdout.write(`Limits:  ${describeLimits(emulator)}\nFaults:  ${emulator.faults ?? 'none'}\n`);
    if (ca) ctx.io.stdout.write(`CA:      ${ca.path} (self-signed for this run: trust it, e.g. NODE_EXTRA_CA_CERTS=${ca.path})\n`);
    if (emulator.state) ctx.io.stdout.write(`State:   ${emulator.state.file} (${emulator.state.loaded ? 'loaded' : 'new, from the seed'}; saved at exit)\n`);
    ctx.io.stdout.write(describeSignIn(signInInfo(emulator.authority, demoCertificate)));
    ctx.io.stdout.write('\nUsers:\n');
    for (const user of emulator.users) {
      ctx.io.stdout.write(
        `  ${user.fullname.padEnd(16)} ${user.internalemailaddress.padEnd(30)} systemuserid=${user.systemuserid} objectid=${user.azureactivedirectoryobjectid ?? '-'}${user.isdisabled ? ' (disabled)' : ''}\n`,
      );
    }
    ctx.io.stderr.write('Press Ctrl+C to stop.\n');
  }
  const signal = await stopSignal;
  try {
    await emulator.close();
  } catch (error) {
    stopListening();
    await demoCertificate?.remove();
    await ca?.remove();
    throw new CliError(`The emulator stopped, but its state could not be saved to ${emulator.state?.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      exitCode: ExitCode.Failure,
      cause: error,
    });
  }
  await demoCertificate?.remove();
  await ca?.remove();
  stopListening();
  return signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Ok;
}

/** The https certificate of this run, in a file of a new private directory, for clients that take a CA path. */
interface CaFile {
  path: string;
  remove(): Promise<void>;
}

async function writeCaFile(pem: string): Promise<CaFile> {
  const directory = await mkdtemp(join(tmpdir(), 'dvas-emulator-ca-'));
  const path = join(directory, 'dvas-emulator-ca.pem');
  await writeFile(path, pem, { mode: 0o644 });
  return { path, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** On stderr, for people: what was saved and how to use it from another terminal. */
function describeSavedProfile(saved: SavedEmulatorProfile): string {
  const name = saved.profile.name;
  const use = saved.isDefault ? 'it is the default profile: run `dvas whoami` in another terminal' : `use it with \`dvas whoami -p ${name}\` in another terminal (or make it the default: dvas profile use ${name})`;
  return `Saved profile "${name}" for this emulator (${saved.signIn}); ${use}.\n`;
}

/** The sign-in details; the client secret only in the --json line, which scripts read and people do not see. */
function describeSignIn(info: ReturnType<typeof signInInfo>): string {
  const lines = [`Sign-in: ${info.authority} (Entra-style authority, docs/emulator-authority.md)`];
  if (info.clientId) lines.push(`App:     client id ${info.clientId}`);
  if (info.certificatePath) lines.push(`         certificate ${info.certificatePath}, key ${info.privateKeyPath}`);
  return `${lines.join('\n')}\n`;
}

function describeLimits(emulator: RunningEmulator): string {
  const limits = emulator.limits;
  if (!limits) return 'off';
  return `${limits.requests} requests and ${limits.executionMs} ms per ${limits.windowSeconds} s, ${limits.concurrency} concurrent (per user)`;
}
