import type { RowStatus } from './report-file.js';

/** What happened to the rows of one user (or of the run). */
export interface Counts {
  rows: number;
  created: number;
  existed: number;
  failed: number;
}

export function emptyCounts(): Counts {
  return { rows: 0, created: 0, existed: 0, failed: 0 };
}

export function count(counts: Counts, status: RowStatus): void {
  counts[status]++;
}

/** Rows neither created, found nor failed: never sent, or sent and in doubt when the run stopped. */
export function notSent(counts: Counts): number {
  return Math.max(0, counts.rows - counts.created - counts.existed - counts.failed);
}
