import type { CliContext } from '../../../context.js';
import { DryRunStop } from '../../../dataverse/dry-run.js';
import type { InputCheck } from './check-input.js';
import { derivedId } from './derived-id.js';
import { MAX_CONCURRENCY } from './concurrency.js';
import { sendRows, type TableTarget } from './send-rows.js';

/**
 * --dry-run of a bulk create (docs/bulk-create.md, "--dry-run"): the plan (rows per user,
 * requests, concurrency), then each user's first request as it would leave, caller header
 * included, printed by the dry-run transport. Nothing is written.
 */
export async function printDryRun(
  ctx: CliContext,
  plan: { table: TableTarget & { primaryId: string }; check: InputCheck; batchSize: number; concurrency: number | undefined; dopHint: number | undefined; runId: string },
): Promise<void> {
  const { table, check, batchSize } = plan;
  const concurrency = Math.min(MAX_CONCURRENCY, plan.concurrency ?? plan.dopHint ?? 4);
  const source = plan.concurrency !== undefined ? '--concurrency' : plan.dopHint !== undefined ? "the service's hint" : 'until the service hints';
  const users = [...check.perUser.entries()];
  const out = (text: string) => void ctx.io.stdout.write(text);
  out(
    `Plan: ${check.rows} rows into ${table.entitySet} as ${users.length} ${users.length === 1 ? 'user' : 'users'}, ` +
      `batches of ${batchSize}, concurrency ${concurrency} (${source}).\n`,
  );
  for (const [user, rows] of users) {
    const probe = user.actingAs !== undefined;
    const requests = probe ? 1 + Math.ceil((rows - 1) / batchSize) : Math.ceil(rows / batchSize);
    out(`  ${user.label ?? 'the signed-in identity'}: ${rows} rows, ${requests} ${requests === 1 ? 'request' : 'requests'}${probe ? ' (the first of one row, read back)' : ''}\n`);
  }
  for (const [user, first] of check.firstRows) {
    const rows = (user.actingAs ? first.slice(0, 1) : first).map((row) => {
      const id = row.givenId ?? derivedId(plan.runId, row.position);
      return { position: row.position, id, derived: row.givenId === undefined, record: { ...row.record, [table.primaryId]: id }, user };
    });
    const printer = await ctx.dataverse({ dryRun: { offline: false, format: 'http' }, ...(user.actingAs ? { impersonation: user.actingAs.target } : {}) });
    out('\n');
    try {
      await sendRows(printer, table, 'create-multiple', rows);
    } catch (error) {
      if (!(error instanceof DryRunStop)) throw error;
    }
  }
  ctx.io.stderr.write('Dry run: nothing was sent.\n');
}
