import type { Counts } from './tally.js';
import { notSent } from './tally.js';

/** One user's line of the summary (schemas/create-bulk.schema.json, $defs/userSummary). */
export interface UserSummary extends Counts {
  user: string | null;
  systemuserid: string | null;
  notSent: number;
}

/** The -o json summary of a bulk run (schemas/create-bulk.schema.json). */
export interface BulkSummary {
  table: string;
  entitySet: string;
  runId: string;
  shard: string | null;
  report: string | null;
  rows: number;
  created: number;
  existed: number;
  failed: number;
  skipped: number;
  notSent: number;
  interrupted: boolean;
  elapsedMs: number;
  rowsPerSecond: number;
  users: UserSummary[];
}

export interface SummaryParts {
  table: string;
  entitySet: string;
  runId: string;
  shard: string | null;
  report: string | null;
  /** Rows of this run (of its shard), skipped ones included. */
  rows: number;
  skipped: number;
  interrupted: boolean;
  elapsedMs: number;
  users: Array<{ user: string | null; systemuserid: string | null; counts: Counts }>;
}

export function summarize(parts: SummaryParts): BulkSummary {
  const users = parts.users.map(({ user, systemuserid, counts }) => ({ user, systemuserid, ...counts, notSent: notSent(counts) }));
  const created = users.reduce((sum, user) => sum + user.created, 0);
  const existed = users.reduce((sum, user) => sum + user.existed, 0);
  const failed = users.reduce((sum, user) => sum + user.failed, 0);
  const done = created + existed;
  return {
    table: parts.table,
    entitySet: parts.entitySet,
    runId: parts.runId,
    shard: parts.shard,
    report: parts.report,
    rows: parts.rows,
    created,
    existed,
    failed,
    skipped: parts.skipped,
    notSent: Math.max(0, parts.rows - parts.skipped - created - existed - failed),
    interrupted: parts.interrupted,
    elapsedMs: Math.max(0, Math.round(parts.elapsedMs)),
    rowsPerSecond: parts.elapsedMs > 0 ? Math.round((done / parts.elapsedMs) * 10_000) / 10 : 0,
    users,
  };
}

/**
 * The summary for people, on stderr:
 * "Created 999 of 1000 rows in accounts in 2.1 s (476 rows/s); 1 failed." and a line per user.
 */
export function summaryText(summary: BulkSummary): string {
  const seconds = summary.elapsedMs / 1000;
  const extras = [
    summary.existed > 0 ? `${summary.existed} already there` : '',
    summary.skipped > 0 ? `${summary.skipped} done before (--resume)` : '',
    summary.failed > 0 ? `${summary.failed} failed` : '',
    summary.notSent > 0 ? `${summary.notSent} not sent` : '',
  ].filter(Boolean);
  const head =
    `Created ${summary.created} of ${summary.rows} rows in ${summary.entitySet} in ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s ` +
    `(${Math.round(summary.rowsPerSecond)} rows/s)${extras.length > 0 ? `; ${extras.join(', ')}` : ''}.`;
  const lines = [head];
  if (summary.users.length > 1 || summary.users.some((user) => user.user !== null)) {
    for (const user of summary.users) {
      const parts = [`${user.created} created`, user.existed ? `${user.existed} already there` : '', user.failed ? `${user.failed} failed` : '', user.notSent ? `${user.notSent} not sent` : ''].filter(Boolean);
      lines.push(`  ${user.user ?? 'the signed-in identity'}: ${parts.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
