import type { Argument, Command, Option } from 'commander';
import { VERBS } from '../../access/verbs.js';

/** Where names come from that the program tree does not hold: all local files, never the network. */
export interface CompletionSources {
  /** The saved profiles' names. */
  profiles(): Promise<readonly string[]>;
  /** The tables cached for the environment that `profile` (the -p value on the line, if any) resolves to. */
  tables(profile: string | undefined): Promise<readonly string[]>;
}

type ValueSource = 'profiles' | 'tables' | readonly string[];

/**
 * The words that could stand where the last of `words` is being typed (`words` are the command
 * line after `dvas`; the last one is the partial word, '' after a space), read from the program
 * itself: its commands, their options and arguments, the choices commander declares for them
 * (-o/--output, --auth, `completion <shell>`), plus profile and table names from `sources`.
 * Only candidates that start with the partial word, each once. None (the shell then offers
 * file names) where dvas knows nothing to offer: a file, a GUID, a filter expression.
 */
export async function completionCandidates(program: Command, words: readonly string[], sources: CompletionSources): Promise<string[]> {
  const typed = [...words];
  const current = typed.pop() ?? '';
  const line = readLine(program, typed);

  let candidates: readonly string[];
  let prefix = '';
  let partial = current;
  const inline = /^(--[^=]+)=(.*)$/.exec(current);
  if (line.pendingOption) {
    candidates = await valuesOf(optionSource(line.pendingOption), line, sources);
  } else if (inline && !line.afterSeparator) {
    // `--output=js`, one word as the shell passes it: the values, with the flag in front.
    const option = findOption(line.command, inline[1] as string);
    prefix = `${inline[1]}=`;
    partial = inline[2] as string;
    candidates = option?.required || option?.optional ? await valuesOf(optionSource(option), line, sources) : [];
  } else if (current.startsWith('-') && !line.afterSeparator) {
    candidates = flagsOf(line.command);
  } else {
    candidates = await positionalCandidates(line, sources);
  }
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (candidate.startsWith(partial) && isTypable(candidate)) seen.add(`${prefix}${candidate}`);
  }
  return [...seen];
}

/** What the words before the one being typed say: which command, how many of its arguments, -p. */
interface Line {
  command: Command;
  /** The command's arguments given so far. */
  positionals: number;
  /** An option whose value is the word being typed (`-o <TAB>`). */
  pendingOption: Option | undefined;
  /** The -p/--profile value on the line: table names are those of its environment. */
  profile: string | undefined;
  /** After `--`, every word is an argument. */
  afterSeparator: boolean;
}

function readLine(program: Command, words: readonly string[]): Line {
  const line: Line = { command: program, positionals: 0, pendingOption: undefined, profile: undefined, afterSeparator: false };
  for (const word of words) {
    if (line.pendingOption) {
      // `--output`, `=`, `json`: the bash script of earlier versions sent COMP_WORDS, which bash
      // splits at "=". A script saved to a file stays after an upgrade of dvas.
      if (word === '=') continue;
      if (line.pendingOption.long === '--profile') line.profile = word;
      line.pendingOption = undefined;
      continue;
    }
    if (line.afterSeparator || word === '-' || !word.startsWith('-')) {
      const sub = line.positionals === 0 && !line.afterSeparator ? subcommandNamed(line.command, word) : undefined;
      if (sub) line.command = sub;
      else line.positionals += 1;
      continue;
    }
    if (word === '--') {
      line.afterSeparator = true;
      continue;
    }
    const [flag, value] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const option = findOption(line.command, flag);
    if (option?.long === '--profile' && value !== undefined) line.profile = value;
    if (option?.required && value === undefined) line.pendingOption = option;
  }
  return line;
}

async function positionalCandidates(line: Line, sources: CompletionSources): Promise<readonly string[]> {
  const subcommands = visibleCommands(line.command);
  if (subcommands.length > 0 && line.positionals === 0 && !line.afterSeparator) return subcommands.map((command) => command.name());
  const declared = line.command.registeredArguments;
  const last = declared.at(-1);
  const argument = declared[line.positionals] ?? (last?.variadic ? last : undefined);
  return argument ? valuesOf(argumentSource(line.command, argument), line, sources) : [];
}

async function valuesOf(source: ValueSource | undefined, line: Line, sources: CompletionSources): Promise<readonly string[]> {
  if (source === 'profiles') return sources.profiles();
  if (source === 'tables') return sources.tables(line.profile);
  return source ?? [];
}

/** Choices commander declares come first; then the options whose values name a profile or a table. */
function optionSource(option: Option): ValueSource | undefined {
  if (option.argChoices) return option.argChoices;
  if (option.long === '--profile') return 'profiles';
  if (option.long === '--table') return 'tables';
  return undefined;
}

/**
 * Arguments by their declared names, which the command surface keeps stable: `<table>` and
 * `<related-table>` are tables, `<verb>` a table privilege (`can`, `who-can`), and the `<name>` of
 * every `profile` subcommand but `add` a saved profile (that of `profile add` is a new one).
 */
function argumentSource(command: Command, argument: Argument): ValueSource | undefined {
  if (argument.argChoices) return argument.argChoices;
  const name = argument.name();
  if (name === 'table' || name === 'related-table') return 'tables';
  if (name === 'verb') return VERBS;
  if (name === 'name' && command.parent?.name() === 'profile' && command.name() !== 'add') return 'profiles';
  return undefined;
}

/** The command's own options and those of every command above it (the global ones), as typed. */
function flagsOf(command: Command): string[] {
  const flags: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) {
    const help = at.createHelp();
    for (const option of help.visibleOptions(at)) {
      // --version belongs to `dvas` itself, not to its commands.
      if (at !== command && option.long === '--version') continue;
      if (at !== command && option.long === '--help') continue;
      flags.push(...[option.long, option.short].filter((flag): flag is string => flag !== undefined));
    }
  }
  return flags;
}

function findOption(command: Command, flag: string): Option | undefined {
  for (let at: Command | null = command; at; at = at.parent) {
    const option = at.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option) return option;
  }
  return undefined;
}

function subcommandNamed(command: Command, word: string): Command | undefined {
  return command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
}

/** The subcommands `--help` lists: hidden ones are not offered, nor commander's `help`. */
function visibleCommands(command: Command): Command[] {
  return command
    .createHelp()
    .visibleCommands(command)
    .filter((sub) => sub.name() !== 'help');
}

/**
 * Names from files (profiles, the table cache) go onto the command line as they are, so only what
 * can be typed as one plain word is offered: no space, quote, glob or control character.
 */
function isTypable(candidate: string): boolean {
  return candidate !== '' && /^[\p{L}\p{N}_.@:\/+,=%-]+$/u.test(candidate);
}
