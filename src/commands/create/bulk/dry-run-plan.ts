import type { CliContext } from '../../../context.js';
import { describeRequest, DryRunStop, formatRequest, type BulkPlanDocument, type DryRunDocument } from '../../../dataverse/dry-run.js';
import type { PipelineRequest } from '../../../dataverse/pipeline.js';
import { formatDocument } from '../../../output/document.js';
import type { InputCheck } from './check-input.js';
import { derivedId } from './derived-id.js';
import { MAX_CONCURRENCY } from './concurrency.js';
import { sendRows, type TableTarget } from './send-rows.js';

/**
 * --dry-run of a bulk create (docs/bulk-create.md, "--dry-run"): the plan (rows per user,
 * requests, concurrency), then each user's first request as it would leave, caller header
 * included, as text or, with an explicit -o json/ndjson, as one dry-run document with a `plan`.
 * The plan's reads were sent as lookups (announced on stderr); nothing is written.
 */
export async function printDryRun(
  ctx: CliContext,
  plan: { table: TableTarget & { primaryId: string }; check: InputCheck; batchSize: number; concurrency: number | undefined; dopHint: number | undefined; runId: string },
): Promise<void> {
  const settings = ctx.dryRun;
  if (!settings) throw new Error('Internal: printDryRun outside --dry-run.');
  const { table, check, batchSize } = plan;
  const concurrency = Math.min(MAX_CONCURRENCY, plan.concurrency ?? plan.dopHint ?? 4);
  const concurrencySource = plan.concurrency !== undefined ? 'flag' : plan.dopHint !== undefined ? 'hint' : 'default';
  const users = [...check.perUser.entries()].map(([user, rows]) => {
    const firstReadBack = user.actingAs !== undefined;
    const requests = firstReadBack ? 1 + Math.ceil((rows - 1) / batchSize) : Math.ceil(rows / batchSize);
    return { user: user.label ?? null, rows, requests, firstReadBack };
  });
  const planned: BulkPlanDocument = { rows: check.rows, entitySet: table.entitySet, batchSize, concurrency, concurrencySource, users };

  // Each user's first request, handed over by the dry-run gate of a client acting as that user.
  const requests: PipelineRequest[] = [];
  for (const [user, first] of check.firstRows) {
    const rows = (user.actingAs ? first.slice(0, 1) : first).map((row) => {
      const id = row.givenId ?? derivedId(plan.runId, row.position);
      return { position: row.position, id, derived: row.givenId === undefined, record: { ...row.record, [table.primaryId]: id }, user };
    });
    const printer = await ctx.dataverse({ dryRun: { ...settings, collect: (request) => void requests.push(request) }, ...(user.actingAs ? { impersonation: user.actingAs.target } : {}) });
    try {
      await sendRows(printer, table, 'create-multiple', rows);
    } catch (error) {
      if (!(error instanceof DryRunStop)) throw error;
    }
  }

  const out = (text: string) => void ctx.io.stdout.write(text);
  if (settings.format === 'http') {
    out(planText(planned));
    for (const request of requests) out(`\n${formatRequest(request)}`);
  } else {
    const document: DryRunDocument = { dryRun: true, offline: false, lookups: settings.lookups ?? [], requests: requests.map((request) => describeRequest(request, 'operation')), plan: planned };
    out(formatDocument(document, settings.format));
  }
  ctx.io.stderr.write(`Dry run: the ${requests.length === 1 ? 'request' : 'requests'} above ${requests.length === 1 ? 'was' : 'were'} not sent, and nothing was written; only the read-only lookups were sent.\n`);
}

const SOURCE_TEXT: Record<BulkPlanDocument['concurrencySource'], string> = { flag: '--concurrency', hint: "the service's hint", default: 'until the service hints' };

function planText(plan: BulkPlanDocument): string {
  const lines = [
    `Plan: ${plan.rows} rows into ${plan.entitySet} as ${plan.users.length} ${plan.users.length === 1 ? 'user' : 'users'}, ` +
      `batches of ${plan.batchSize}, concurrency ${plan.concurrency} (${SOURCE_TEXT[plan.concurrencySource]}).`,
    ...plan.users.map(
      (user) =>
        `  ${user.user ?? 'the signed-in identity'}: ${user.rows} rows, ${user.requests} ${user.requests === 1 ? 'request' : 'requests'}${user.firstReadBack ? ' (the first of one row, read back)' : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
