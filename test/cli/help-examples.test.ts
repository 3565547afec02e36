import { describe, expect, it } from 'vitest';
import { COMMAND_EXAMPLES } from '../../src/help/examples.js';
import command_surface from '../contract/command-surface.json' with { type: 'json' };
import { runCli } from '../helpers/cli.js';
import { dvasInvocations, surfaceProblems } from '../helpers/dvas-command-lines.js';

const COMMANDS = command_surface.commands.map((command) => command.name);

describe("every command's --help ends with examples", () => {
  it('has two to four examples for every command, and none for a command that does not exist', () => {
    expect(Object.keys(COMMAND_EXAMPLES).sort()).toEqual([...COMMANDS].sort());
    for (const name of COMMANDS) expect((COMMAND_EXAMPLES[name] ?? []).length, name).toBeGreaterThanOrEqual(2);
    for (const name of COMMANDS) expect((COMMAND_EXAMPLES[name] ?? []).length, name).toBeLessThanOrEqual(4);
  });

  it.each(Object.entries(COMMAND_EXAMPLES))('the examples of %s run that command with flags it takes', (name, examples) => {
    for (const example of examples) {
      const [invocation, ...more] = dvasInvocations(example);
      expect(more).toEqual([]);
      // A group's examples (profile) show its subcommands.
      expect(invocation?.command === name || invocation?.command.startsWith(`${name} `), example).toBe(true);
      expect(surfaceProblems(invocation as NonNullable<typeof invocation>)).toEqual([]);
    }
  });

  it.each([['whoami'], ['profile', 'add'], ['emulator']])('dvas %s … --help shows them, and points to dvas --help for the global options', async (...path) => {
    const result = await runCli([...path, '--help']);
    expect(result.code).toBe(0);
    const examples = COMMAND_EXAMPLES[path.join(' ')] ?? [];
    expect(result.stdout).toContain(`Examples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n`);
    expect(result.stdout.trimEnd().endsWith('Global options (-p/--profile, --as, -o/--output, --verbose, --dry-run…): see dvas --help.')).toBe(true);
    expect(result.stdout).not.toContain('Global Options:');
  });
});
