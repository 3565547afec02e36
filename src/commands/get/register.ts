import type { Command } from 'commander';
import type { ContextFactory } from '../../context.js';
import { COUNT_LIMIT, MAX_PAGE_SIZE } from '../../dataverse/facts.js';
import type { GetFlags } from './options.js';

/**
 * Declares `dvas get`. The runner and renderer are imported when the command runs, so other
 * commands never load them.
 */
export function registerGetCommand(program: Command, contextFor: ContextFactory): void {
  program
    .command('get')
    .description('Read one record by id, or query a table (entity set or logical name).')
    .argument('<table>', 'entity set name (accounts) or logical name (account)')
    .argument('[id]', "record id (GUID), or an alternate key such as accountnumber='A-1'")
    .option('--select <columns>', 'columns to return, comma-separated (lookups as _name_value)')
    .option('--filter <expr>', 'OData $filter, e.g. "statecode eq 0"')
    .option('--orderby <expr>', 'OData $orderby, e.g. "name desc"')
    .option('--top <n>', 'at most this many rows')
    .option('--expand <expr>', 'OData $expand, e.g. "primarycontactid($select=fullname)"')
    .option('--all', 'follow the next links and read every page')
    .option('--page-size <n>', `rows per page, 1 to ${MAX_PAGE_SIZE} (Prefer: odata.maxpagesize)`)
    .option('--count', `say how many rows match (on stderr; Dataverse counts up to ${COUNT_LIMIT})`)
    .option('--formatted', 'keep formatted values and lookup names in JSON (tables always show them)')
    .option('--fetchxml <file>', 'run a FetchXML query from a file (- for stdin); --all follows its paging cookies')
    .action(async (table: string, id: string | undefined, flags: GetFlags, command: Command) => {
      const [{ parseGetRequest }, { runGet }, { renderGetResult }] = await Promise.all([import('./options.js'), import('./run.js'), import('./render.js')]);
      const ctx = contextFor(command);
      const request = parseGetRequest(table, id, flags);
      await renderGetResult(await runGet(request, ctx), ctx);
    });
}
