import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../context.js';
import { DEMO_APP, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { IO } from '../../output/io.js';
import { DEMO_STEPS, DEVON, SAM, type DemoPeople, type DemoStep } from './script.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Runs dvas in this process, as `main` does: the real program, not a shortcut around it. */
export type RunDvas = (argv: string[], options: { io: IO; env: Env }) => Promise<number>;

/**
 * `dvas demo`: starts the embedded emulator and runs the real commands against it, each through
 * the whole program (argument parsing, profile from variables, msal sign-in against the emulator's
 * authority, the Dataverse pipeline, rendering), with a short narration on stderr and the commands'
 * own output on stdout. Everything it writes to disk (token and table caches) lives in a temporary
 * config directory, removed at the end; the person's own DVAS_* and AZURE_* settings are left out.
 * A step that ends with another exit code than the tour expects fails the demo (exit 1).
 */
export async function runDemo(ctx: CliContext, runDvas: RunDvas): Promise<void> {
  const started = performance.now();
  const chalk = ctx.colors.stderr;
  const emulator = await startEmulator({ port: 0, approveDeviceCodes: DEVON });
  const configDir = await mkdtemp(join(tmpdir(), 'dvas-demo-'));
  try {
    ctx.io.stderr.write(
      `${chalk.bold('dvas demo')}: a Dataverse emulator (organisation Contoso, ${emulator.users.length} users) is running at ${emulator.url}.\n` +
        'Each step below is a real dvas command, run against it.\n',
    );
    const passOn = outputArguments(ctx);
    const people = peopleOf(emulator);
    for (const [index, step] of DEMO_STEPS.entries()) {
      const args = typeof step.args === 'function' ? step.args(people) : step.args;
      ctx.io.stderr.write(`\n${chalk.bold(`${index + 1}. ${step.title}`)}\n${chalk.cyan(`$ dvas ${args.map(shellWord).join(' ')}`)}\n`);
      const code = await runDvas([...args, ...passOn], { io: ctx.io, env: stepEnv(ctx.env, emulator, configDir, step) });
      if (code !== step.expect) {
        throw new CliError(`The demo step \`dvas ${args.join(' ')}\` ended with exit code ${code}, not ${step.expect}.`, { exitCode: ExitCode.Failure });
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    ctx.io.stderr.write(
      `\n${chalk.green('✓')} ${DEMO_STEPS.length} commands in ${seconds} s, ${emulator.stats.requests} Web API requests; the emulator's authority issued ${emulator.authority.log.tokenRequests} tokens ` +
        '(client credentials for the application, device code for Devon), each cached and reused.\n' +
        `Try it yourself: ${chalk.cyan('dvas emulator --profile demo')} in one terminal, ${chalk.cyan('dvas whoami')} in another.\n`,
    );
  } finally {
    await emulator.close();
    await rm(configDir, { recursive: true, force: true });
  }
}

function peopleOf(emulator: RunningEmulator): DemoPeople {
  const samObjectId = emulator.users.find((user) => user.internalemailaddress === SAM)?.azureactivedirectoryobjectid;
  if (!samObjectId) throw new CliError('The demo organisation has no Sam Sales with an Entra object id.', { exitCode: ExitCode.Internal });
  return { samObjectId };
}

/**
 * The environment of one step: the person's own environment without any DVAS_* or AZURE_* setting
 * (a DVAS_PROFILE or DVAS_AS of theirs must not change the tour), plus a profile made from
 * variables. The application signs in with its client secret: nothing is stored but the token
 * cache, in the demo's own config directory.
 */
function stepEnv(env: Env, emulator: RunningEmulator, configDir: string, step: DemoStep): Env {
  const own = Object.fromEntries(Object.entries(env).filter(([name]) => !/^(DVAS_|AZURE_)/i.test(name)));
  const connection = { DVAS_CONFIG_DIR: configDir, DVAS_URL: emulator.url, AZURE_TENANT_ID: emulator.tenantId };
  if (step.as === 'devon') return { ...own, ...connection, DVAS_AUTH: 'device-code' };
  return { ...own, ...connection, AZURE_CLIENT_ID: DEMO_APP.clientId, DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
}

/** The output options the person gave `dvas demo`, passed on to every step. */
function outputArguments(ctx: CliContext): string[] {
  return [...(ctx.options.outputRequested ? ['-o', ctx.options.output] : []), ...(ctx.options.color ? [] : ['--no-color'])];
}

/** A word as a shell would need it typed, for the narration's command lines. */
function shellWord(word: string): string {
  if (/^[\w@.,=:/-]+$/.test(word)) return word;
  // An OData filter's quotes read better inside double quotes, where nothing else is special.
  if (word.includes("'") && !/[$`"\\!]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
