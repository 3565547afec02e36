import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ApiFlags } from './run.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Declares `dvas api`; the runner loads only when the command runs. */
export function registerApiCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('api')
    .description('Send any Web API request (with --as, as that user, checked), e.g. dvas api GET WhoAmI.')
    .argument('<method>', 'GET, POST, PATCH, PUT or DELETE')
    .argument('<path>', "relative to the Web API root (accounts?$top=1, WhoAmI), or a URL of the environment")
    .argument('[-]', 'read the body from stdin')
    .option('--data <body>', 'the request body (JSON unless -H Content-Type says otherwise)')
    .option('--file <path>', 'a file holding the body (- for stdin)')
    .option('-H, --header <header>', "a request header, 'Name: value' (repeatable); not Authorization or the caller headers: use --as", collect, [])
    .option('--paginate', 'follow @odata.nextLink to the last page (-o ndjson streams the rows)')
    .option('-i, --include', 'print the status line and the response headers before the body')
    .action(async (method: string, path: string, dash: string | undefined, flags: ApiFlags & { data?: string; file?: string }, command: Command) => {
      if (dash !== undefined && dash !== '-') throw new UsageError(`Unexpected argument '${dash}': only - (read the body from stdin) may follow the path.`);
      const { runApi } = await import('./run.js');
      await runApi(method, path, { data: flags.data, file: flags.file, stdin: dash === '-' }, flags, contextFor(command));
    });
}
