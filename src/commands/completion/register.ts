import { Argument, type Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { COMPLETION_SHELLS, type CompletionShell } from './shells.js';

/**
 * Declares `dvas completion <shell>`: prints the shell's completion script. The script calls the
 * hidden `dvas __complete`, which main() answers before commander parses anything (src/cli.ts).
 */
export function registerCompletionCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('completion')
    .description('Print the script that completes dvas commands, options, profile and table names in bash, zsh, fish or PowerShell.')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .action(async (shell: CompletionShell, _flags: unknown, command: Command) => {
      const { completionScript } = await import('./scripts.js');
      contextFor(command).io.stdout.write(completionScript(shell));
    });
}
