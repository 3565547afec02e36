import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/access/verbs.js';
import { COMPLETION_SHELLS } from '../../src/commands/completion/shells.js';
import { OUTPUT_FORMATS } from '../../src/options/global-options.js';
import { AUTH_KINDS } from '../../src/profiles/types.js';
import { TableCache, tableCacheFile } from '../../src/tables/table-cache.js';
import command_surface from '../contract/command-surface.json' with { type: 'json' };
import { runCli, useTempConfigDir } from '../helpers/cli.js';

/**
 * `dvas __complete <words…>`, what the scripts of `dvas completion` call on Tab: candidates one a
 * line, from the program itself, the profiles file and the table cache; never a request, never a
 * word on stderr, always exit 0. The shells themselves are tested in completion-shells.test.ts.
 */
const newConfigDir = useTempConfigDir();
const DEV = 'https://dev.crm.dynamics.com';
const PROD = 'https://prod.crm.dynamics.com';

function table(logicalName: string, entitySetName: string) {
  return { LogicalName: logicalName, EntitySetName: entitySetName, PrimaryIdAttribute: `${logicalName}id`, PrimaryNameAttribute: 'name' };
}

async function setup() {
  const directory = newConfigDir();
  const env = { DVAS_CONFIG_DIR: directory };
  await runCli(['profile', 'add', 'dev', '--url', DEV, '--default'], { env });
  await runCli(['profile', 'add', 'prod', '--url', PROD], { env });
  // Seeded by the cache's own writer, as `dvas get` leaves it; learned a day ago, past its TTL.
  const yesterday = () => new Date(Date.now() - 24 * 3_600_000);
  const cache = new TableCache(tableCacheFile(env), yesterday);
  await cache.remember(DEV, table('account', 'accounts'));
  await cache.remember(DEV, table('contact', 'contacts'));
  await cache.remember(PROD, table('lead', 'leads'));
  let clientsLoaded = 0;
  const complete = async (words: string[], extraEnv: Record<string, string> = {}) => {
    const result = await runCli(['__complete', ...words], {
      env: { ...env, ...extraEnv },
      dependencies: {
        loadDataverseClientFactory: async () => {
          clientsLoaded += 1;
          throw new Error('completion must not load the Dataverse client');
        },
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    return result.stdout === '' ? [] : result.stdout.trimEnd().split('\n');
  };
  /** `dvas __complete-bash <line>`: the line as typed up to the cursor, as the bash script sends it. */
  const completeBash = async (line: string, wordBreaks?: string) => {
    const result = await runCli(['__complete-bash', line, ...(wordBreaks === undefined ? [] : [wordBreaks])], { env });
    expect([result.code, result.stderr]).toEqual([0, '']);
    return result.stdout === '' ? [] : result.stdout.trimEnd().split('\n');
  };
  return { env, complete, completeBash, clientsLoaded: () => clientsLoaded };
}

const TOP_LEVEL = command_surface.commands.map((command) => command.name).filter((name) => !name.includes(' '));

describe('dvas __complete', () => {
  it('offers the commands `dvas --help` lists, and nothing hidden', async () => {
    const { complete } = await setup();
    expect(await complete([''])).toEqual(TOP_LEVEL);
    expect(TOP_LEVEL).toContain('completion');
    expect(TOP_LEVEL).not.toContain('__complete');
    expect(await complete(['c'])).toEqual(['create', 'can', 'compare', 'completion']);
    expect(await complete(['profile', ''])).toEqual(command_surface.commands.flatMap((command) => (command.name.startsWith('profile ') ? [command.name.slice('profile '.length)] : [])));
    expect(await complete(['profile', ''])).toEqual(expect.arrayContaining(['add', 'list', 'show', 'use', 'remove']));
    expect(await complete(['profile', 'r'])).toEqual(['remove']);
  });

  it("offers a command's options and the global ones, after the flags typed so far", async () => {
    const { complete } = await setup();
    expect(await complete(['get', 'accounts', '--'])).toEqual(expect.arrayContaining(['--select', '--filter', '--top', '--all', '--help', '--profile', '--output', '--as', '--no-color']));
    expect(await complete(['get', 'accounts', '--'])).not.toContain('--version');
    expect(await complete(['get', '--f'])).toEqual(['--filter', '--formatted', '--fetchxml']);
    expect(await complete(['-'])).toEqual(expect.arrayContaining(['-V', '--version', '-p', '--profile', '-o', '--output', '-h', '--help']));
    expect(await complete(['profile', 'add', 'x', '--u'])).toEqual(['--url']);
  });

  it('offers the values commander declares for -o/--output, --auth and the shell', async () => {
    const { complete } = await setup();
    expect(await complete(['-o', ''])).toEqual([...OUTPUT_FORMATS]);
    expect(await complete(['get', 'accounts', '--output', 'nd'])).toEqual(['ndjson']);
    expect(await complete(['get', '--output=js'])).toEqual(['--output=json']);
    // COMP_WORDS, split at the "=", as the bash script first sent them (a saved script outlives an upgrade).
    expect(await complete(['get', '--output', '=', 'c'])).toEqual(['csv']);
    expect(await complete(['profile', 'add', 'x', '--auth', ''])).toEqual([...AUTH_KINDS]);
    expect(await complete(['profile', 'add', 'x', '--auth', 'device'])).toEqual(['device-code']);
    expect(await complete(['completion', ''])).toEqual([...COMPLETION_SHELLS]);
    expect(await complete(['can', ''])).toEqual([...VERBS]);
  });

  it('offers the saved profiles for -p/--profile and profile show|use|remove|set, not for profile add', async () => {
    const { complete } = await setup();
    expect(await complete(['-p', ''])).toEqual(['dev', 'prod']);
    expect(await complete(['whoami', '--profile', 'p'])).toEqual(['prod']);
    expect(await complete(['whoami', '--profile=d'])).toEqual(['--profile=dev']);
    for (const sub of ['show', 'use', 'remove', 'set']) expect(await complete(['profile', sub, ''])).toEqual(['dev', 'prod']);
    expect(await complete(['profile', 'add', ''])).toEqual([]);
  });

  it("offers the cached tables of the environment the line would use, however old the entries", async () => {
    const { complete, clientsLoaded } = await setup();
    expect(await complete(['get', ''])).toEqual(['accounts', 'contacts']);
    expect(await complete(['get', 'a'])).toEqual(['accounts']);
    expect(await complete(['-p', 'prod', 'get', ''])).toEqual(['leads']);
    expect(await complete(['get', '--profile', 'prod', ''])).toEqual(['leads']);
    expect(await complete(['get', ''], { DVAS_PROFILE: 'prod' })).toEqual(['leads']);
    expect(await complete(['can', 'read', ''])).toEqual(['accounts', 'contacts']);
    expect(await complete(['associate', 'accounts', '<id>', 'nav', ''])).toEqual(['accounts', 'contacts']);
    expect(await complete(['roles', '--privileges', '--table', 'c'])).toEqual(['contacts']);
    // The second argument of get is an id: nothing to offer, the shell completes file names.
    expect(await complete(['get', 'accounts', ''])).toEqual([]);
    expect(clientsLoaded()).toBe(0);
  });

  it('answers nothing, quietly and with exit 0, where it cannot tell', async () => {
    const { complete } = await setup();
    expect(await complete(['-p', 'nope', 'get', ''])).toEqual([]);
    expect(await complete(['nosuchcommand', ''])).toEqual([]);
    expect(await complete(['--as', ''])).toEqual([]);
    expect(await complete(['get', '--', '-'])).toEqual([]);
    // Words that would be errors on a real run (an invalid -o) are only read.
    expect(await complete(['-o', 'bogus', 'profile', 'u'])).toEqual(['use']);
    expect(await complete([])).toEqual(TOP_LEVEL);
  });

  it('answers nothing from a corrupted profiles file or table cache, and still offers what it can', async () => {
    const directory = newConfigDir();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(directory, { recursive: true });
    writeFileSync(`${directory}/profiles.json`, 'not json');
    writeFileSync(`${directory}/table-cache.json`, '{"version":1,"environments":');
    const run = (words: string[]) => runCli(['__complete', ...words], { env: { DVAS_CONFIG_DIR: directory } });
    for (const words of [['-p', ''], ['get', ''], ['profile', 'use', '']]) {
      const result = await run(words);
      expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    }
    expect((await run(['-o', 'j'])).stdout).toBe('json\n');
  });

  it('never offers a name from a file that could not be typed as one word', async () => {
    const { env, complete } = await setup();
    // Written as of the same day as the seed: a write drops what its clock finds stale.
    const cache = new TableCache(tableCacheFile(env), () => new Date(Date.now() - 24 * 3_600_000));
    await cache.remember(DEV, table('evil', 'evil\u001b[2Jsets'));
    await cache.remember(DEV, table('spaced', 'two words'));
    expect(await complete(['get', ''])).toEqual(['accounts', 'contacts']);
  });
});

describe('dvas __complete-bash', () => {
  const GUID = '7f3c1a52-9d4e-4b8a-a1c2-3e5f6a7b8c9d';

  it('reads the line as bash will run it: split at blanks, not at "=", "@" or ":"', async () => {
    const { completeBash } = await setup();
    expect(await completeBash('dvas get --as sam@contoso.com a')).toEqual(['accounts']);
    expect(await completeBash(`dvas --as aad:${GUID} get c`)).toEqual(['contacts']);
    expect(await completeBash('dvas get --output json a')).toEqual(['accounts']);
    expect(await completeBash('dvas ')).toEqual(TOP_LEVEL);
    expect(await completeBash('dvas get accounts ')).toEqual([]);
  });

  it('offers what goes after the last "=", ":" or before the last "@" of the word, as readline replaces only that', async () => {
    const { env, completeBash } = await setup();
    expect(await completeBash('dvas get --output=')).toEqual([...OUTPUT_FORMATS]);
    expect(await completeBash('dvas get --output=nd')).toEqual(['ndjson']);
    expect(await completeBash('dvas profile set dev --auth=')).toEqual([...AUTH_KINDS]);
    expect(await completeBash('dvas whoami --profile=p')).toEqual(['prod']);
    const cache = new TableCache(tableCacheFile(env), () => new Date(Date.now() - 24 * 3_600_000));
    await cache.remember(DEV, table('archive', 'lead:archives'));
    await cache.remember(DEV, table('mailbox', 'box@mail'));
    expect(await completeBash('dvas get lead:')).toEqual(['archives']);
    expect(await completeBash('dvas get l')).toEqual(['lead:archives']);
    expect(await completeBash('dvas get box@m')).toEqual(['@mail']);
    // A quoted or escaped ":" breaks no word.
    expect(await completeBash("dvas get 'lead:")).toEqual(['lead:archives']);
    expect(await completeBash('dvas get lead\\:')).toEqual(['lead:archives']);
    // COMP_WORDBREAKS without ":" (a common change): readline replaces the whole word.
    expect(await completeBash('dvas get lead:', ' \t\n"\'@><=;|&(')).toEqual(['lead:archives']);
  });

  it('unquotes words, and completes inside a quote not yet closed', async () => {
    const { completeBash } = await setup();
    expect(await completeBash("dvas -p 'prod' get ")).toEqual(['leads']);
    expect(await completeBash('dvas -p "prod" get ')).toEqual(['leads']);
    expect(await completeBash('dvas -p pr\od get ')).toEqual(['leads']);
    expect(await completeBash("dvas -p $'prod' get ")).toEqual(['leads']);
    expect(await completeBash("dvas profile use 'p")).toEqual(['prod']);
    expect(await completeBash('dvas profile use "d')).toEqual(['dev']);
    expect(await completeBash("dvas -p 'pr'od get ")).toEqual(['leads']);
  });

  it('leaves out what the command does not get: assignments before it, redirections', async () => {
    const { completeBash } = await setup();
    expect(await completeBash('DVAS_PROFILE=dev dvas pro')).toEqual(['profile']);
    expect(await completeBash('dvas get accounts 2>/dev/null --to')).toEqual(['--top']);
    expect(await completeBash('dvas -p prod get >out.json ')).toEqual(['leads']);
    expect(await completeBash('dvas get accounts > ')).toEqual([]);
    expect(await completeBash('dvas get accounts >o')).toEqual([]);
  });
});

describe('dvas completion', () => {
  it.each(COMPLETION_SHELLS)('%s prints a script that calls dvas __complete', async (shell) => {
    const result = await runCli(['completion', shell]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('dvas __complete');
  });

  it('names the shells it knows when given another', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bash, zsh, fish, powershell');
  });

  it('is no command of `dvas --help`, nor is __complete', async () => {
    const help = (await runCli(['--help'])).stdout;
    expect(help).toMatch(/^ {2}completion <shell> /m);
    expect(help).not.toContain('__complete');
  });
});
