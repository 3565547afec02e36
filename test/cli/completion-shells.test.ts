import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_SHELLS } from '../../src/commands/completion/shells.js';
import { completionScript } from '../../src/commands/completion/scripts.js';
import { OUTPUT_FORMATS } from '../../src/options/global-options.js';
import { AUTH_KINDS } from '../../src/profiles/types.js';
import { TableCache, tableCacheFile } from '../../src/tables/table-cache.js';
import command_surface from '../contract/command-surface.json' with { type: 'json' };
import { BIN, ensureBuilt } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';

/**
 * The scripts of `dvas completion <shell>` in the real shells: each is sourced, asked for the
 * completions of a partial command line, and answers with what the real `dvas __complete` (the
 * built program, found on the PATH as `dvas`) offers. A shell that is not installed is skipped;
 * .ci/run installs zsh and fish where it can. PowerShell is not to be had here: its script's
 * structure is checked instead.
 */
const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
// `script -c` would leave a file named "typescript" in the working directory.
const hasScript = spawnSync('script', ['--version']).status === 0;
const TOP_LEVEL = command_surface.commands.map((command) => command.name).filter((name) => !name.includes(' '));

let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'dvas-completion-'));
  // `dvas` on the PATH, as `npm install -g` puts it there.
  writeFileSync(join(root, 'dvas'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(root, 'dvas'), 0o755);
  const config = join(root, 'config');
  const dvasEnv = { DVAS_CONFIG_DIR: config };
  await runCli(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com', '--default'], { env: dvasEnv });
  await runCli(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com'], { env: dvasEnv });
  const cache = new TableCache(tableCacheFile(dvasEnv), () => new Date());
  for (const [logical, set] of [['account', 'accounts'], ['contact', 'contacts']] as const) {
    await cache.remember('https://dev.crm.dynamics.com', { LogicalName: logical, EntitySetName: set, PrimaryIdAttribute: `${logical}id`, PrimaryNameAttribute: 'name' });
  }
  await cache.remember('https://prod.crm.dynamics.com', { LogicalName: 'lead', EntitySetName: 'leads', PrimaryIdAttribute: 'leadid', PrimaryNameAttribute: 'fullname' });
  // bash breaks words at ":" too.
  await cache.remember('https://prod.crm.dynamics.com', { LogicalName: 'archive', EntitySetName: 'lead:archives', PrimaryIdAttribute: 'archiveid', PrimaryNameAttribute: 'name' });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DVAS_|AZURE_)/.test(name)));
  env = { ...clean, ...dvasEnv, HOME: root, XDG_CONFIG_HOME: join(root, 'xdg-config'), XDG_DATA_HOME: join(root, 'xdg-data'), PATH: `${root}:${process.env.PATH ?? ''}` };
  for (const shell of COMPLETION_SHELLS) writeFileSync(join(root, `script.${shell}`), completionScript(shell));
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(command: string, args: string[]): string[] {
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 20_000 });
  expect(result.stderr, command).toBe('');
  expect(result.status, command).toBe(0);
  return result.stdout === '' ? [] : result.stdout.trimEnd().split('\n');
}

const bashWord = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs an interactive shell in a terminal (util-linux `script` gives it one), types `keys` and
 * returns the lines the shell's setup wrote to `log`. Nothing waits on a clock: the line editor
 * reads the keys in order, and a Tab's completion ends before the next key is read.
 */
function inTerminal(command: string, keys: string, log: string, extraEnv: NodeJS.ProcessEnv = {}): string[] {
  rmSync(log, { force: true });
  const result = spawnSync('script', ['-q', '-c', command, '/dev/null'], { env: { ...env, TERM: 'dumb', ...extraEnv }, input: `${keys}exit\n`, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, command).toBe(0);
  return readFileSync(log, 'utf8').trimEnd().split('\n');
}

const GUID = '7f3c1a52-9d4e-4b8a-a1c2-3e5f6a7b8c9d';

describe('bash', () => {
  /**
   * Sources the script, sets COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as bash sets them on
   * Tab, and prints COMPREPLY. `words` are COMP_WORDS after `dvas` as bash splits them (at every
   * COMP_WORDBREAKS character, quotes kept), the cursor's word last; `point` is the cursor in `line`.
   * What bash itself sets, and does with the answer, is checked in interactive bash below.
   */
  const complete = (line: string, words: string[], point = line.length) =>
    run('bash', [
      '--norc',
      '--noprofile',
      '-c',
      `source "${join(root, 'script.bash')}"; COMP_WORDS=(dvas ${words.map(bashWord).join(' ')}); COMP_CWORD=${words.length}; COMP_LINE=${bashWord(line)}; COMP_POINT=${point}; _dvas; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ]).filter(Boolean);

  it('registers _dvas for dvas, falling back to file names', () => {
    expect(run('bash', ['--norc', '-c', `source "${join(root, 'script.bash')}"; complete -p dvas`])).toEqual(['complete -o default -F _dvas dvas']);
  });

  it.each<[string, string, string[], string[], number?]>([
    ['the commands', 'dvas ', [''], TOP_LEVEL],
    ['a partial command', 'dvas pro', ['pro'], ['profile']],
    ['a subcommand', 'dvas profile u', ['profile', 'u'], ['use']],
    ['get <table> from the table cache', 'dvas get ', ['get', ''], ['accounts', 'contacts']],
    ['get <table> of the -p environment', 'dvas -p prod get ', ['-p', 'prod', 'get', ''], ['lead:archives', 'leads']],
    ['--profile <name>', 'dvas whoami --profile ', ['whoami', '--profile', ''], ['dev', 'prod']],
    ['profile use <name>', 'dvas profile use p', ['profile', 'use', 'p'], ['prod']],
    ['-o <format>', 'dvas get accounts -o ', ['get', 'accounts', '-o', ''], [...OUTPUT_FORMATS]],
    ['--output=<format>, nothing typed after "="', 'dvas get --output=', ['get', '--output', '='], [...OUTPUT_FORMATS]],
    ['--output=<format>, split at "=" by bash', 'dvas --output=js', ['--output', '=', 'js'], ['json']],
    ['--auth=<kind>, nothing typed after "="', 'dvas profile set dev --auth=', ['profile', 'set', 'dev', '--auth', '='], [...AUTH_KINDS]],
    ['--auth <kind>', 'dvas profile add ci --auth ', ['profile', 'add', 'ci', '--auth', ''], [...AUTH_KINDS]],
    ['<table> after --as user@domain, split at "@" by bash', 'dvas get --as sam@contoso.com a', ['get', '--as', 'sam', '@', 'contoso.com', 'a'], ['accounts']],
    ['<table> after --as aad:<guid>, split at ":" by bash', `dvas --as aad:${GUID} get a`, ['--as', 'aad', ':', GUID, 'get', 'a'], ['accounts']],
    ['a table name with ":", after it', 'dvas -p prod get lead:a', ['-p', 'prod', 'get', 'lead', ':', 'a'], ['archives']],
    ["a quoted profile, quotes kept by bash", "dvas -p 'prod' get ", ['-p', "'prod'", 'get', ''], ['lead:archives', 'leads']],
    ['inside a quote not yet closed', "dvas whoami --profile 'p", ['whoami', '--profile', "'p"], ['prod']],
    ['the cursor mid-word: the part before it', 'dvas prfile', ['prfile'], ['profile'], 7],
    ['options', 'dvas get --fi', ['get', '--fi'], ['--filter']],
    ['nothing where dvas knows nothing (readline offers files)', 'dvas get accounts --fetchxml ', ['get', 'accounts', '--fetchxml', ''], []],
    ['nothing for a redirection (readline offers files)', 'dvas get accounts > ', ['get', 'accounts', '>', ''], []],
  ])('%s', (_, line, words, expected, point) => {
    expect(complete(line, words, point)).toEqual(expected);
  });
});

describe.skipIf(!hasScript)('bash, interactive', () => {
  /**
   * Interactive bash in a terminal (util-linux `script` gives it one) with the script sourced: each
   * line is typed and Tab pressed once, then a key bound with `bind -x` records what readline left
   * on the line, and a wrapper around _dvas what it answered. Nothing waits on a clock: readline
   * reads the keys in order, and a Tab's completion ends before the next key is read.
   */
  /**
   * Interactive bash with the script sourced: each line is typed and Tab pressed once, then a key
   * bound with `bind -x` records what readline left on the line, and a wrapper around _dvas what
   * it answered.
   */
  function typeInBash(...lines: string[]): { reply: string; line: string }[] {
    const log = join(root, 'bash-keys.log');
    const rc = join(root, 'bash-keys.rc');
    writeFileSync(
      rc,
      [
        "PS1='$ '",
        `source '${join(root, 'script.bash')}'`,
        'eval "_dvas_under_test() $(declare -f _dvas | tail -n +2)"',
        `_dvas() { _dvas_under_test "$@"; printf 'reply\\t%s\\n' "\${COMPREPLY[*]}" >> '${log}'; }`,
        `_dvas_line() { printf 'line\\t%s\\n' "$READLINE_LINE" >> '${log}'; READLINE_LINE=''; READLINE_POINT=0; }`,
        `bind -x '"\\C-xl": _dvas_line'`,
        '',
      ].join('\n'),
    );
    const keys = lines.map((line) => `${line}\t\x18l`).join('');
    const answers: { reply: string; line: string }[] = [];
    let reply = '(not called)';
    for (const entry of inTerminal(`bash --noprofile --rcfile '${rc}' -i`, keys, log, { INPUTRC: '/dev/null' })) {
      const [kind, text = ''] = entry.split('\t');
      if (kind === 'reply') reply = text;
      else {
        answers.push({ reply, line: text });
        reply = '(not called)';
      }
    }
    return answers;
  }

  it('completes what dvas will get, in place of what readline replaces', () => {
    const LEFT = '\x02';
    const cases: [typed: string, reply: string, line: string][] = [
      ['dvas get --output=', OUTPUT_FORMATS.join(' '), 'dvas get --output='],
      ['dvas get --output=nd', 'ndjson', 'dvas get --output=ndjson '],
      ['dvas profile set dev --auth=man', 'managed-identity', 'dvas profile set dev --auth=managed-identity '],
      ['dvas get --as sam@contoso.com a', 'accounts', 'dvas get --as sam@contoso.com accounts '],
      [`dvas --as aad:${GUID} get c`, 'contacts', `dvas --as aad:${GUID} get contacts `],
      ["dvas -p 'prod' get l", 'lead:archives leads', "dvas -p 'prod' get lead"],
      ["dvas -p 'prod' get lead:a", 'archives', "dvas -p 'prod' get lead:archives "],
      ["dvas whoami --profile 'p", 'prod', "dvas whoami --profile 'prod' "],
      // Readline puts the candidate in place of the part before the cursor, as for any command.
      [`dvas prfile${LEFT.repeat(4)}`, 'profile', 'dvas profilefile'],
    ];
    expect(typeInBash(...cases.map(([typed]) => typed))).toEqual(cases.map(([, reply, line]) => ({ reply, line })));
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  it('the script parses', () => {
    run('zsh', ['-n', join(root, 'script.zsh')]);
  });

  /**
   * The completion function as zsh's completion system calls it: `words`, `CURRENT` and `PREFIX` set, and
   * compadd (a builtin that works only inside a completion widget) replaced by one that prints
   * what it was given, as is _files.
   */
  const complete = (...words: string[]) =>
    run('zsh', [
      '-f',
      '-c',
      `compdef() { :; }; compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }; _files() { print -- '(files)'; }
source "${join(root, 'script.zsh')}"; words=(dvas ${words.map(bashWord).join(' ')}); CURRENT=${words.length + 1}; PREFIX=${bashWord(words.at(-1) ?? '')}; _dvas`,
    ]);

  it.each<[string, string[], string[]]>([
    ['the commands', [''], TOP_LEVEL],
    ['get <table> from the table cache', ['get', ''], ['accounts', 'contacts']],
    ['--profile <name>', ['--profile', ''], ['dev', 'prod']],
    ['-o <format>', ['-o', 'n'], ['ndjson']],
    ['--output=<format> in one word', ['--output=c'], ['--output=csv']],
    ['--auth <kind>', ['profile', 'add', 'ci', '--auth', 'm'], ['managed-identity']],
    ['files where dvas knows nothing', ['get', 'accounts', '--fetchxml', ''], ['(files)']],
  ])('%s', (_, words, expected) => {
    expect(complete(...words)).toEqual(expected);
  });
});

describe.skipIf(!has('zsh') || !hasScript)('zsh, interactive', () => {
  it('completes in the completion system, inside quotes too', () => {
    const home = join(root, 'zsh-home');
    const log = join(root, 'zsh-keys.log');
    mkdirSync(home, { recursive: true });
    writeFileSync(
      join(home, '.zshrc'),
      [
        "PS1='$ '",
        'autoload -U compinit; compinit -u -D',
        `source '${join(root, 'script.zsh')}'`,
        `_dvas_line() { print -r -- "$BUFFER" >> '${log}'; BUFFER=''; }`,
        'zle -N _dvas_line',
        "bindkey '^Xl' _dvas_line",
        '',
      ].join('\n'),
    );
    const cases: [typed: string, line: string][] = [
      ['dvas pro', 'dvas profile '],
      ['dvas get --output=j', 'dvas get --output=json '],
      ["dvas -p 'prod' profile use d", "dvas -p 'prod' profile use dev "],
      ["dvas profile use 'p", "dvas profile use 'prod' "],
      ['dvas -p prod get l', 'dvas -p prod get lead'],
    ];
    const keys = cases.map(([typed]) => `${typed}\t\x18l`).join('');
    expect(inTerminal('zsh -i', keys, log, { ZDOTDIR: home })).toEqual(cases.map(([, line]) => line));
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  it('the script parses', () => {
    run('fish', ['--no-config', '--no-execute', join(root, 'script.fish')]);
  });

  /** fish's own `complete -C`: what Tab would offer for the line, one a line (a description after a tab). */
  const complete = (line: string) => run('fish', ['--no-config', '-c', `source "${join(root, 'script.fish')}"; complete -C ${bashWord(line)}`]).map((entry) => entry.split('\t')[0]);

  it.each<[string, string, string[]]>([
    ['a partial command', 'dvas pro', ['profile']],
    ['get <table> from the table cache', 'dvas get ', ['accounts', 'contacts']],
    ['--profile <name>', 'dvas --profile ', ['dev', 'prod']],
    ['-o <format>', 'dvas -o ', [...OUTPUT_FORMATS].sort()],
    ['--auth <kind>', 'dvas profile add ci --auth a', ['azure-cli']],
    ['options', 'dvas get --fil', ['--filter']],
    ['inside a quote not yet closed', "dvas -p 'pr", ['prod']],
    ['after a quoted word', "dvas -p 'prod' get l", ['lead:archives', 'leads']],
  ])('%s', (_, line, expected) => {
    expect(complete(line)).toEqual(expected);
  });
});

describe('powershell (not installed here: the script is checked for its parts)', () => {
  const script = completionScript('powershell');

  it('registers a native completer for dvas that asks dvas __complete', () => {
    expect(script).toMatch(/^Register-ArgumentCompleter -Native -CommandName dvas -ScriptBlock \{$/m);
    expect(script).toContain('param($wordToComplete, $commandAst, $cursorPosition)');
    expect(script).toMatch(/& dvas __complete @words 2>\$null/);
    expect(script).toContain('[System.Management.Automation.CompletionResult]::new($_, $_,');
  });

  it('passes the empty word after a space, also on PowerShell before 7.3', () => {
    expect(script).toMatch(/if \(\$current -eq '' -and /);
    expect(script).toContain(`$current = '""'`);
  });

  it('passes words without their quotes, and the one under the cursor up to the cursor', () => {
    expect(script).toContain('$words += $element.Value');
    expect(script).toContain('$current = $extent.Text.Substring(0, $cursorPosition - $extent.StartOffset)');
    expect(script).not.toContain('$wordToComplete -eq');
  });

  it('has balanced braces and parentheses', () => {
    for (const [open, close] of [['{', '}'], ['(', ')'], ['[', ']']] as const) {
      expect(script.split(open).length, open).toBe(script.split(close).length);
    }
  });

  it.skipIf(!has('pwsh'))('parses in pwsh', () => {
    run('pwsh', ['-NoProfile', '-Command', `$errors = $null; [System.Management.Automation.Language.Parser]::ParseInput((Get-Content -Raw '${join(root, 'script.powershell')}'), [ref]$null, [ref]$errors) | Out-Null; if ($errors) { $errors; exit 1 }`]);
  });
});
