import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { loadSchemas, problems, validatorOf } from '../contract/schemas.js';
import { useTempConfigDir } from './cli.js';
import { useDvasProcesses, type DvasProcess } from './emulator-process.js';

/** One finished run of the real CLI. */
export interface FinishedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A directory for one test's input, report and dvas config; `env(who)` signs dvas in as `who`. */
export interface SeedWorkspace {
  dir: string;
  path(name: string): string;
  env(who: string): NodeJS.ProcessEnv;
}

/**
 * For a test file that seeds rows with the real `node bin/dvas.js create … --file` against an
 * emulator running in the test process (so the test reads its store and request log directly).
 * Builds dist/ first; a run a test left behind is killed afterwards.
 */
export function useSeedCli(emulator: () => RunningEmulator): {
  workspace(): SeedWorkspace;
  start(workspace: SeedWorkspace, who: string, args: string[]): DvasProcess;
  run(workspace: SeedWorkspace, who: string, args: string[]): Promise<FinishedRun>;
} {
  const spawnDvas = useDvasProcesses();
  const newConfigDir = useTempConfigDir();
  const start = (workspace: SeedWorkspace, who: string, args: string[]) => spawnDvas(args, workspace.env(who));
  return {
    workspace() {
      const config = newConfigDir();
      const dir = dirname(config);
      return {
        dir,
        path: (name) => join(dir, name),
        env: (who) => ({
          PATH: process.env.PATH ?? '',
          HOME: dir,
          DVAS_URL: emulator().url,
          DVAS_ACCESS_TOKEN: emulator().issueToken(who),
          DVAS_CONFIG_DIR: config,
          NO_COLOR: '1',
        }),
      };
    },
    start,
    async run(workspace, who, args) {
      const started = start(workspace, who, args);
      const { code, signal } = await started.exited;
      return { code, signal, stdout: started.stdout(), stderr: started.stderr() };
    },
  };
}

/**
 * `count` account rows a test can find again: accountnumber `<tag>-<n>` for the n-th row (1-based),
 * so with one row per NDJSON line the row's report position is n. `extra(n)` adds columns.
 */
export function taggedAccounts(tag: string, count: number, extra: (n: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({ name: `Seeded ${tag} ${index + 1}`, accountnumber: `${tag}-${index + 1}`, ...extra(index + 1) }));
}

export function writeNdjson(path: string, rows: readonly unknown[]): string {
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return path;
}

export interface ReportRowLine {
  position: number;
  id: string | null;
  user: string | null;
  status: 'created' | 'existed' | 'failed';
  code?: string | null;
  message?: string;
}

export interface ParsedReport {
  header: Record<string, unknown> | undefined;
  /** The `sending` lines' positions, in order. */
  sending: number[][];
  /** The last status line of each position (the one that wins on --resume). */
  finals: Map<number, ReportRowLine>;
  /** Every status line, in order. */
  statusLines: ReportRowLine[];
  /** Lines that are not JSON (a line cut short by SIGKILL mid-write). */
  torn: string[];
  /** Lines that are JSON but not what schemas/create-bulk.schema.json says a report line is. */
  invalid: string[];
}

let reportLineSchema: ReturnType<typeof validatorOf> | undefined;

/** Reads a --report file, checking every line against the report schema. */
export function readReport(path: string): ParsedReport {
  reportLineSchema ??= validatorOf(loadSchemas(), 'create-bulk.schema.json#/$defs/reportLine');
  const report: ParsedReport = { header: undefined, sending: [], finals: new Map(), statusLines: [], torn: [], invalid: [] };
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      report.torn.push(text);
      continue;
    }
    const wrong = problems(reportLineSchema, line);
    if (wrong.length > 0) report.invalid.push(`${text}: ${wrong.join('; ')}`);
    if ('report' in line) report.header ??= line;
    else if (Array.isArray(line.sending)) report.sending.push(line.sending as number[]);
    else if (typeof line.position === 'number') {
      report.statusLines.push(line as unknown as ReportRowLine);
      report.finals.set(line.position, line as unknown as ReportRowLine);
    }
  }
  return report;
}

/** How many status lines a report file holds so far (0 when it does not exist yet). */
export function statusLinesSoFar(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  return text.split('\n').filter((line) => line.startsWith('{"position"')).length;
}

/** The accounts in the emulator's store that a test seeded with `tag`. */
export function accountsTagged(emulator: RunningEmulator, tag: string): Record<string, unknown>[] {
  return [...emulator.core.store.rows('account').values()].filter((row) => typeof row.accountnumber === 'string' && row.accountnumber.startsWith(`${tag}-`));
}

/**
 * The acceptance check of a seeding run: the store holds exactly the `count` input rows, none
 * missing and none twice, and the report accounts for every one of them: its final line says
 * created (or existed) under the id the store holds it by.
 */
export function expectExactlyTheInput(emulator: RunningEmulator, tag: string, count: number, report: ParsedReport): void {
  const stored = accountsTagged(emulator, tag);
  const numbers = stored.map((row) => String(row.accountnumber));
  const twice = numbers.filter((number, index) => numbers.indexOf(number) !== index);
  expect(twice, 'rows created twice').toEqual([]);
  const expected = Array.from({ length: count }, (_, index) => `${tag}-${index + 1}`);
  const present = new Set(numbers);
  expect(expected.filter((number) => !present.has(number)), 'rows missing').toEqual([]);
  expect(stored).toHaveLength(count);

  expect(report.invalid, 'report lines that break schemas/create-bulk.schema.json').toEqual([]);
  const unaccounted: string[] = [];
  for (let position = 1; position <= count; position++) {
    const line = report.finals.get(position);
    const row = line?.id ? emulator.core.store.rows('account').get(line.id) : undefined;
    if (!line || (line.status !== 'created' && line.status !== 'existed') || row?.accountnumber !== `${tag}-${position}`) {
      unaccounted.push(`position ${position}: ${line ? JSON.stringify(line) : 'no status line'}`);
    }
  }
  expect(unaccounted, 'input rows the report does not account for').toEqual([]);
}
