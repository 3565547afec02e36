import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../src/options/json-input.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

/** `{"name":"x","a":{"a":{…}}}` with `levels` objects in all. */
const nested = (levels: number) => `${'{"name":"x","a":'.repeat(levels - 1)}{"name":"x"}${'}'.repeat(levels - 1)}`;

/**
 * Deep input is refused, not crashed on (issue 12): JSON nested past MAX_JSON_DEPTH, on every way
 * a command takes JSON, is exit 2 naming the depth, with nothing sent and nothing written.
 */
describe('bad input: JSON nested too deep', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const file = join(mkdtempSync(join(tmpdir(), 'dvas-deep-')), 'row.json');
  writeFileSync(file, nested(10_000));
  const id = '00000000-0000-0000-0000-000000000001';

  it.each([
    ['create --data', ['create', 'accounts', '--data', nested(10_000)], undefined, '--data'],
    ['create --file', ['create', 'accounts', '--file', file], undefined, JSON.stringify(file)],
    ['create - (stdin)', ['create', 'accounts', '-'], nested(10_000), 'stdin'],
    ['create --file - (stdin)', ['create', 'accounts', '--file', '-'], nested(10_000), 'stdin'],
    ['update --data', ['update', 'accounts', id, '--data', nested(10_000)], undefined, '--data'],
    ['update - (stdin)', ['update', 'accounts', id, '-'], nested(10_000), 'stdin'],
    ['create --data, an array nested', ['create', 'accounts', '--data', `{"a":${'['.repeat(70)}${']'.repeat(70)}}`], undefined, '--data'],
  ])('%s: exit 2 naming the depth, nothing sent, nothing written', async (_, argv, stdin, label) => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, argv, stdin === undefined ? {} : { stdin });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('');
    const depth = label === '--data' && argv.at(-1)?.startsWith('{"a":[') ? 71 : 10_000;
    expect(run.stderr).toBe(
      `error: The row in ${label} is nested ${depth} levels deep; dvas sends JSON at most ${MAX_JSON_DEPTH} levels deep.\n` +
        'hint: A row is one object, with its related rows at most a few levels below it (deep insert).\n',
    );
    expect(emulator().stats.requests).toBe(before);
  });

  it(`${MAX_JSON_DEPTH} levels still go out (the service judges them)`, async () => {
    const before = emulator().stats.requests;
    const run = await dvas(DEMO.admin, ['create', 'accounts', '--data', nested(MAX_JSON_DEPTH)]);
    expect(run.stderr).not.toMatch(/levels deep/);
    expect(emulator().stats.requests).toBeGreaterThan(before);
  });
});

describe('jsonNestingDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"{{{[[["}', 1],
    ['{"a":"quote \\" then {{"}', 1],
    ['{"a":"backslash \\\\","b":{}}', 2],
    [nested(100_000), 100_000],
  ])('%s → %d', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });
});
