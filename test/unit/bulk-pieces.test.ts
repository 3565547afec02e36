import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/commands/create/bulk/bulk-flags.js';
import { Problems } from '../../src/commands/create/bulk/check-input.js';
import { checkJsonValue, typeCell } from '../../src/commands/create/bulk/column-values.js';
import { Concurrency, LOWERED_FOR_MS, MAX_CONCURRENCY } from '../../src/commands/create/bulk/concurrency.js';
import { derivedId } from '../../src/commands/create/bulk/derived-id.js';
import { Progress } from '../../src/commands/create/bulk/progress.js';
import { TestClock } from '../helpers/test-clock.js';
import { ResumeState } from '../../src/commands/create/bulk/report-resume.js';
import type { ColumnInfo } from '../../src/commands/create/bulk/table-columns.js';
import { GUID_PATTERN } from '../../src/dataverse/facts.js';
import { UsageError } from '../../src/errors.js';

const column = (type: string, options?: number[]): ColumnInfo => ({ name: 'c', type, creatable: true, ...(options ? { options: new Set(options) } : {}) });

describe('CSV cells typed from their column', () => {
  it.each([
    ['Integer', ' 42 ', 42],
    ['BigInt', '-7', -7],
    ['Decimal', '1.5e3', 1500],
    ['Money', '.25', 0.25],
    ['Boolean', 'YES', true],
    ['Boolean', '0', false],
    ['DateTime', '2026-12-02', '2026-12-02'],
    ['DateTime', '2026-12-02T16:40:00+01:00', '2026-12-02T16:40:00+01:00'],
    ['Uniqueidentifier', '5D1A7E3C-0B8F-4C2A-9E61-7F0D3B2A1C45', '5d1a7e3c-0b8f-4c2a-9e61-7f0d3b2a1c45'],
    ['String', '  kept as is ', '  kept as is '],
  ])('%s %j → %j', (type, text, value) => {
    expect(typeCell(column(type), text)).toEqual({ ok: true, value });
  });

  it.each([
    ['Integer', '4.2', 'takes a whole number, not "4.2"'],
    ['Integer', '99999999999999999999', 'takes a whole number'],
    ['Decimal', '1,5', 'takes a number, not "1,5"'],
    ['Boolean', 'y', 'takes true or false'],
    ['DateTime', '02/12/2026', 'takes an ISO 8601 date'],
    ['DateTime', '2026-13-45', 'takes an ISO 8601 date'],
    ['Uniqueidentifier', 'nope', 'takes a GUID'],
    ['Lookup', 'x', 'is a lookup: set it as "c@odata.bind"'],
  ])('%s %j is refused: %s', (type, text, problem) => {
    const typed = typeCell(column(type), text);
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(typed.problem).toContain(problem);
  });

  it('choices by value, among the column’s options; a multi-select as comma-separated values', () => {
    expect(typeCell(column('Picklist', [1, 2]), '2')).toEqual({ ok: true, value: 2 });
    expect(typeCell(column('Picklist', [1, 2]), '3')).toEqual({ ok: false, problem: 'takes one of the choice values 1, 2, not 3' });
    expect(typeCell(column('Virtual', [10, 20]), '10, 20')).toEqual({ ok: true, value: '10,20' });
    expect(typeCell(column('Virtual', [10, 20]), '10,30').ok).toBe(false);
  });

  it('JSON values: the JSON type the Web API reads, null clears', () => {
    expect(checkJsonValue(column('Integer'), 3)).toEqual({ ok: true, value: 3 });
    expect(checkJsonValue(column('Integer'), '3')).toEqual({ ok: false, problem: 'takes a whole number, not the string "3"' });
    expect(checkJsonValue(column('String'), 3)).toEqual({ ok: false, problem: 'takes a string, not a number' });
    expect(checkJsonValue(column('Boolean'), null)).toEqual({ ok: true, value: null });
  });

  it('values from the file are quoted with control characters escaped', () => {
    const typed = typeCell(column('Integer'), '\u001b[31mred');
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(typed.problem).not.toContain('\u001b');
  });
});

describe('derived ids and shards', () => {
  it('a derived id is a version-4 GUID, the same for the same run and position, another for another', () => {
    const run = '9b2f0c61-3a57-4d0e-9a43-52d6c1e0a7f1';
    const id = derivedId(run, 7);
    expect(id).toMatch(GUID_PATTERN);
    expect(id[14]).toBe('4');
    expect('89ab').toContain(id[19]);
    expect(derivedId(run, 7)).toBe(id);
    expect(derivedId(run, 8)).not.toBe(id);
    expect(derivedId('0e8b6a2d-4c1f-4b7e-8a95-2d3c4b5a6f70', 7)).not.toBe(id);
  });

  it('--shard K/N: the N shards partition the rows, each row in exactly one', () => {
    const shards = [1, 2, 3].map((k) => parseShard(`${k}/3`));
    for (let ordinal = 1; ordinal <= 30; ordinal++) expect(shards.filter((shard) => inShard(shard, ordinal))).toHaveLength(1);
    expect(inShard(undefined, 5)).toBe(true);
    expect(() => parseShard('0/3')).toThrow(UsageError);
    expect(() => parseShard('4/3')).toThrow(UsageError);
    expect(() => parseShard('a/b')).toThrow(UsageError);
  });
});

describe('concurrency', () => {
  it('follows the hint, never above 52; an execution-time 429 halves it for a while', () => {
    let now = 0;
    const concurrency = new Concurrency(undefined, () => now);
    expect(concurrency.limit).toBe(4);
    concurrency.seeHint(500);
    expect(concurrency.limit).toBe(MAX_CONCURRENCY);
    concurrency.seeHint(16);
    concurrency.lowerForExecutionTime();
    expect(concurrency.limit).toBe(8);
    concurrency.lowerForExecutionTime();
    expect(concurrency.limit).toBe(4);
    now += LOWERED_FOR_MS;
    expect(concurrency.limit).toBe(16);
    expect(new Concurrency(2, () => now).limit).toBe(2);
  });
});

describe('problems and reports', () => {
  it('the first five problems by position are named, all are counted', () => {
    const problems = new Problems();
    for (const position of [9, 3, 12, 1, 7, 5, 2]) problems.add('line', position, `problem at ${position}`);
    const message = problems.error('rows.ndjson', 'nothing').message;
    expect(message.split('\n')).toEqual([
      'rows.ndjson has 7 problems; nothing was sent.',
      '  line 1: problem at 1.',
      '  line 2: problem at 2.',
      '  line 3: problem at 3.',
      '  line 5: problem at 5.',
      '  line 7: problem at 7.',
      '  … and 2 more.',
    ]);
  });

  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const reportFile = (lines: string[]) => {
    const directory = mkdtempSync(join(tmpdir(), 'dvas-report-'));
    made.push(directory);
    const path = join(directory, 'report.ndjson');
    writeFileSync(path, lines.join('\n'));
    return path;
  };
  const header = JSON.stringify({ report: 'dvas-create', version: 1, runId: '9b2f0c61-3a57-4d0e-9a43-52d6c1e0a7f1', table: 'account', entitySet: 'accounts', primaryId: 'accountid', positions: 'line', shard: null, input: 'x', startedAt: '2026-12-02T16:40:00.000Z' });

  it('--resume reads the last word on each position, and ignores a last line cut short by a kill', async () => {
    const state = await ResumeState.read(
      reportFile([header, '{"sending":[1,2,3]}', '{"position":1,"id":null,"user":null,"status":"created"}', '{"position":2,"id":null,"user":null,"status":"failed","code":null,"message":"x"}', '{"sending":[2]}', '{"position":3,"id":null,"us']),
    );
    expect([1, 2, 3, 4].map((position) => state.get(position))).toEqual(['created', 'sent', 'sent', undefined]);
    expect(state.get(5000)).toBeUndefined();
  });

  it('--resume refuses a report damaged in the middle, or no report at all', async () => {
    await expect(ResumeState.read(reportFile([header, 'garbage', '{"sending":[1]}']))).rejects.toThrow(/damaged at line 2/);
    await expect(ResumeState.read(reportFile(['{"not":"a header"}']))).rejects.toThrow(/not a dvas create report/);
  });
});

describe('progress', () => {
  it('on a terminal the spinner line is a bar: rows done of the total, rows per second, time left; redrawn on the clock', async () => {
    const clock = new TestClock(0);
    const progress = new Progress(clock, 1000);
    const shown: string[] = [];
    const showing = progress.show({ update: (text) => void shown.push(text), visible: true }, () => undefined);
    for (let row = 0; row < 250; row++) progress.row();
    await clock.sleeping();
    await clock.advance(1000);
    progress.stop();
    await showing;
    expect(shown.at(-1)).toBe('█████░░░░░░░░░░░░░░░ 250 of 1000 rows (25%), 250 rows/s, 3 s left');
  });

  it('without a total (stdin): rows done and the rate', () => {
    const clock = new TestClock(0);
    const progress = new Progress(clock, undefined);
    progress.row();
    expect(progress.line(false)).toMatch(/^1 rows, \d+ rows\/s$/);
  });
});

describe('report lines', () => {
  it('a created row is written as JSON.stringify writes it, without calling it', async () => {
    const { outcomeLine } = await import('../../src/commands/create/bulk/report-file.js');
    const rows = [
      { position: 3, id: '5d1a7e3c-0b8f-4c2a-9e61-7f0d3b2a1c45', user: 'sam@contoso.com', status: 'created' as const },
      { position: 4, id: '5d1a7e3c-0b8f-4c2a-9e61-7f0d3b2a1c46', user: null, status: 'existed' as const },
      { position: 5, id: '5d1a7e3c-0b8f-4c2a-9e61-7f0d3b2a1c47', user: 'a"b\\\\c', status: 'created' as const },
      { position: 6, id: null, user: null, status: 'failed' as const, code: null, message: 'x' },
    ];
    for (const row of rows) expect(outcomeLine(row)).toBe(`${JSON.stringify(row)}\n`);
  });
});
