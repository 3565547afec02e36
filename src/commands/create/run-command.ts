import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramHost } from '../../program-host.js';
import { anyBulkFlag, readBulkFlags, type BulkFlags } from './bulk/bulk-flags.js';
import { openCreateInput, parseFormat } from './bulk/bulk-input.js';
import type { RecordSource } from './record-input.js';
import { runCreate, type CreateFlags } from './run.js';
import { createFields } from './view.js';

/**
 * `dvas create`: one JSON object is today's single create (with its read-back); a JSON array,
 * NDJSON or CSV is a bulk run, whatever its length (docs/bulk-create.md, "Input").
 */
export async function runCreateCommand(
  table: string,
  source: RecordSource,
  flags: CreateFlags & BulkFlags & { format?: string },
  ctx: CliContext,
  host: Pick<ProgramHost, 'handleInterruptsItself'>,
): Promise<void> {
  const given = [source.data !== undefined, source.file !== undefined, source.stdin].filter(Boolean).length;
  const format = parseFormat(flags.format);
  const settings = readBulkFlags(flags);
  const input = given === 1 ? await openCreateInput({ ...source, ...(format ? { format } : {}) }, ctx.io) : undefined;
  if (input?.kind === 'bulk') {
    if (flags.return) throw new UsageError('--return prints one created row: it cannot be used with many rows.');
    const { runBulkCreate } = await import('./bulk/run-bulk.js');
    await runBulkCreate(table, input.input, settings, ctx, { takeOver: () => host.handleInterruptsItself() });
    return;
  }
  const bulkFlag = anyBulkFlag(flags);
  if (bulkFlag) throw new UsageError(`${bulkFlag} is for many rows; this input is one JSON object.`, { hint: 'Give the row as a one-element JSON array for a bulk run of one row.' });
  const view = await runCreate(table, input?.kind === 'single' ? { ...source, text: input.text, label: input.label } : source, flags, ctx);
  ctx.output.record(view, createFields(view));
}
