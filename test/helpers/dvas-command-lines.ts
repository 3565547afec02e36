import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.js';

/** One `dvas …` invocation found in a shell script: the command path and the flags it passes. */
export interface DvasInvocation {
  /** `create`, `profile add`… (empty for a bare `dvas --help`). */
  command: string;
  flags: string[];
  /** The words as written, for messages. */
  text: string;
}

/**
 * The `dvas` invocations of a shell text (a CI step's `run:`, a script, a README block): lines
 * joined at trailing backslashes, split at `&&`, `||`, `|`, `;`, `(` and `$(`, and each part that
 * starts with `dvas` (after `VAR=value` assignments, `exec`, `!`) read word by word up to a
 * redirection or comment. Quotes are honoured well enough for flags: a quoted word is never a flag.
 */
export function dvasInvocations(shell: string): DvasInvocation[] {
  const joined = shell.replace(/\\\n/g, ' ');
  const invocations: DvasInvocation[] = [];
  for (const line of joined.split('\n')) {
    for (const part of splitCommands(line)) {
      const words = shellWords(part);
      while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '') || words[0] === 'exec' || words[0] === '!')) words.shift();
      if (words[0] !== 'dvas') continue;
      const rest = words.slice(1);
      const end = rest.findIndex((word) => /^(\d*[<>]|#)/.test(word));
      const used = end === -1 ? rest : rest.slice(0, end);
      invocations.push({ command: commandPath(used), flags: used.filter((word) => /^-/.test(word) && word !== '-').map((flag) => flag.replace(/=.*$/, '')), text: part.trim() });
    }
  }
  return invocations;
}

/** The command words: `profile add` is a command of its own in the surface, `create` takes arguments. */
function commandPath(words: string[]): string {
  const first = words[0];
  if (first === undefined || first.startsWith('-')) return '';
  const second = words[1];
  const nested = `${first} ${second ?? ''}`;
  return SURFACE_COMMANDS.has(nested) ? nested : first;
}

function splitCommands(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      current += char;
      continue;
    }
    if (char === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) break;
    if (char === ';' || char === '|' || char === '&' || char === '(' || char === ')' || char === '`') {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts.map((part) => part.replace(/^\s*\$$/, '')).filter((part) => part.trim() !== '');
}

/** Whitespace-separated words; a word starting with a quote is marked by keeping its quote. */
function shellWords(part: string): string[] {
  return part.match(/'[^']*'|"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

interface SurfaceOption {
  flags: string;
}
interface Surface {
  globalOptions: SurfaceOption[];
  commands: Array<{ name: string; options: SurfaceOption[] }>;
}

/** The snapshot of every command and flag (test/contract/command-surface.json). */
const SURFACE = JSON.parse(readFileSync(join(ROOT, 'test', 'contract', 'command-surface.json'), 'utf8')) as Surface;
const SURFACE_COMMANDS = new Set(SURFACE.commands.map((command) => command.name));

/** `-p, --profile <name>` → `-p`, `--profile`; `--no-color` also allows `--color` (commander's negation). */
function flagNames(option: SurfaceOption): string[] {
  return option.flags
    .split(/[ ,|]+/)
    .filter((word) => word.startsWith('-'))
    .flatMap((flag) => (flag.startsWith('--no-') ? [flag, `--${flag.slice(5)}`] : [flag]));
}

/** What is wrong with an invocation: an unknown command, or flags that command does not take. Empty when fine. */
export function surfaceProblems(invocation: DvasInvocation): string[] {
  const globals = SURFACE.globalOptions.flatMap(flagNames).concat(['-h', '--help']);
  if (invocation.command === '') return invocation.flags.filter((flag) => !globals.includes(flag)).map((flag) => `unknown global flag ${flag} in: ${invocation.text}`);
  const command = SURFACE.commands.find((candidate) => candidate.name === invocation.command);
  if (!command) return [`unknown command '${invocation.command}' in: ${invocation.text}`];
  const allowed = new Set([...globals, ...command.options.flatMap(flagNames)]);
  return invocation.flags.filter((flag) => !allowed.has(flag)).map((flag) => `'dvas ${invocation.command}' has no flag ${flag}, in: ${invocation.text}`);
}
