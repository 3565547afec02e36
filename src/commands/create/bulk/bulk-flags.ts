import { UsageError } from '../../../errors.js';
import { MAX_CONCURRENCY } from './concurrency.js';
import { quote } from '../../../output/terminal-text.js';

/** The flags of `dvas create` that only a bulk run takes, as commander hands them over. */
export interface BulkFlags {
  asColumn?: string;
  batchSize?: string;
  concurrency?: string;
  continueOnError?: boolean;
  report?: string;
  resume?: string;
  shard?: string;
}

export interface BulkSettings {
  asColumn: string;
  batchSize: number;
  concurrency: number | undefined;
  continueOnError: boolean;
  report: string | undefined;
  resume: string | undefined;
  shard: Shard | undefined;
}

/** `--shard K/N`: this job keeps the n-th row when (n - 1) mod N = K - 1. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Rows per CreateMultiple by default. Microsoft suggests starting near 1,000 small rows; with the
 * service's time per row dominant, larger batches gain little, and every ambiguous failure or
 * bisection costs a whole batch (docs/bulk-create.md, "Batches and concurrency").
 */
export const DEFAULT_BATCH_SIZE = 250;
export const MAX_BATCH_SIZE = 1000;

/** The bulk-only flags, checked before anything is read or sent (exit 2). */
export function readBulkFlags(flags: BulkFlags): BulkSettings {
  const asColumn = flags.asColumn ?? '@as';
  if (asColumn.trim() === '') throw new UsageError('--as-column takes the name of a property or column.');
  if (flags.report !== undefined && flags.resume !== undefined && flags.report !== flags.resume) {
    throw new UsageError('--resume appends to the report it continues: give --resume FILE alone, without another --report.');
  }
  return {
    asColumn,
    batchSize: flags.batchSize === undefined ? DEFAULT_BATCH_SIZE : whole(flags.batchSize, '--batch-size', 1, MAX_BATCH_SIZE),
    concurrency: flags.concurrency === undefined ? undefined : whole(flags.concurrency, '--concurrency', 1, MAX_CONCURRENCY),
    continueOnError: flags.continueOnError === true,
    report: flags.resume ?? flags.report,
    resume: flags.resume,
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
  };
}

/** Whether any bulk-only flag was given (they make no sense with one JSON object). */
export function anyBulkFlag(flags: BulkFlags): string | undefined {
  const names: Array<[keyof BulkFlags, string]> = [
    ['asColumn', '--as-column'],
    ['batchSize', '--batch-size'],
    ['concurrency', '--concurrency'],
    ['continueOnError', '--continue-on-error'],
    ['report', '--report'],
    ['resume', '--resume'],
    ['shard', '--shard'],
  ];
  return names.find(([key]) => flags[key] !== undefined && flags[key] !== false)?.[1];
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes K/N with 1 ≤ K ≤ N (e.g. 2/4), not ${quote(text)}.`);
  }
  return { index, count };
}

export function inShard(shard: Shard | undefined, ordinal: number): boolean {
  return shard === undefined || (ordinal - 1) % shard.count === shard.index - 1;
}

export function shardText(shard: Shard | undefined): string | null {
  return shard ? `${shard.index}/${shard.count}` : null;
}

function whole(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < min || value > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not ${quote(text)}.`);
  return value;
}
