import type { Argument, Command, Option } from 'commander';
import { buildProgram } from '../../src/cli.js';

/**
 * The command line as a script sees it, read from the real program (`buildProgram`): every command
 * by its full name, its arguments, and its options with their flags, defaults and choices.
 * Descriptions are left out on purpose: rewording a help text is not an interface change; renaming
 * a flag, changing a default or a choice, or making an argument required is.
 */
export interface CommandSurface {
  /** The options every command takes (on the root program). */
  globalOptions: OptionSurface[];
  /** Every command, in the order `dvas --help` lists them, sub-commands after their parent. */
  commands: Array<{ name: string; aliases: string[]; arguments: ArgumentSurface[]; options: OptionSurface[] }>;
}

interface ArgumentSurface {
  name: string;
  required: boolean;
  variadic: boolean;
  default?: unknown;
  choices?: readonly string[];
}

interface OptionSurface {
  flags: string;
  /** `<value>` required, `[value]` optional, or a switch. */
  value: 'required' | 'optional' | 'none';
  /** Must be given (commander's requiredOption). */
  mandatory: boolean;
  default?: unknown;
  choices?: readonly string[];
  env?: string;
}

export function commandSurface(): CommandSurface {
  const unused = () => {
    throw new Error('the command surface is read, never run');
  };
  const program = buildProgram({
    io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, isStdoutTTY: false, isStderrTTY: false, isStdinTTY: false },
    contextFor: unused,
    setExitCode: unused,
    handleInterruptsItself: unused,
  });
  const commands: CommandSurface['commands'] = [];
  const visit = (command: Command, prefix: string) => {
    for (const child of command.commands) {
      const name = `${prefix}${child.name()}`;
      commands.push({ name, aliases: child.aliases(), arguments: child.registeredArguments.map(argumentSurface), options: child.options.map(optionSurface) });
      visit(child, `${name} `);
    }
  };
  visit(program, '');
  return { globalOptions: program.options.map(optionSurface), commands };
}

function argumentSurface(argument: Argument): ArgumentSurface {
  return {
    name: argument.name(),
    required: argument.required,
    variadic: argument.variadic,
    ...(argument.defaultValue !== undefined ? { default: argument.defaultValue } : {}),
    ...(argument.argChoices ? { choices: argument.argChoices } : {}),
  };
}

function optionSurface(option: Option): OptionSurface {
  return {
    flags: option.flags,
    value: option.required ? 'required' : option.optional ? 'optional' : 'none',
    mandatory: option.mandatory,
    // A --no-x switch defaults to true by commander's rule; recorded as it is, so a change shows.
    ...(option.defaultValue !== undefined ? { default: option.defaultValue } : {}),
    ...(option.argChoices ? { choices: option.argChoices } : {}),
    ...(option.envVar ? { env: option.envVar } : {}),
  };
}
