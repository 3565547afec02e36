import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { ProgramHost } from '../../program-host.js';
import type { BulkFlags } from './bulk/bulk-flags.js';
import type { CreateFlags } from './run.js';
import { quote } from '../../output/terminal-text.js';

type Flags = CreateFlags & BulkFlags & { format?: string };

/** Declares `dvas create`; the runners and the view load only when the command runs. */
export function registerCreateCommand(program: Command, host: ProgramHost): void {
  program
    .command('create')
    .description('Create one row, or many from a file (with --as, as that user, checked).')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('[-]', 'read the row (JSON) or rows from stdin')
    .option('--data <json>', 'the row as a JSON object (an array: many rows)')
    .option('--file <path>', 'the row(s): .json (an object, or an array), .ndjson or .csv (- for stdin)')
    .option('--format <format>', 'the input format, json, ndjson or csv (default: from the extension; json for stdin)')
    .option('--return', 'print the created row as the service returns it (one row only)')
    .option('--as-column <name>', "many rows: the property or column naming each row's user (default: @as)")
    .option('--batch-size <n>', 'many rows: rows per CreateMultiple request (1-1000, default 250)')
    .option('--concurrency <n>', "many rows: requests in flight (1-52, default: the service's x-ms-dop-hint)")
    .option('--continue-on-error', 'many rows: create every row that can be, instead of stopping at the first failure')
    .option('--report <file>', 'many rows: write what happened to each row to this NDJSON file, as the run goes')
    .option('--resume <report>', 'many rows: continue the run that wrote this report, creating nothing twice')
    .option('--shard <k/n>', 'many rows: create only the k-th of n parts of the rows (one CI job each)')
    .action(async (table: string, dash: string | undefined, flags: Flags, command: Command) => {
      if (dash !== undefined && dash !== '-') throw new UsageError(`Unexpected argument ${quote(dash)}: only - (read the row from stdin) may follow the table.`);
      const { runCreateCommand } = await import('./run-command.js');
      await runCreateCommand(table, { data: flags.data, file: flags.file, stdin: dash === '-' }, flags, host.contextFor(command), host);
    });
}
