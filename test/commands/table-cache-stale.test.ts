import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * A stale table-cache entry (issue 12): when the service answers 404 "Resource not found for the
 * segment" for a table dvas took from its cache, the entry is dropped and the table looked up
 * again, once. Before, the entry kept failing for up to ten minutes.
 */
describe('a cached table the service no longer knows', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const newConfigDir = useTempConfigDir();

  /** A config directory whose table cache holds `account` under another entity set name, as if renamed. */
  async function staleCache(edit: (text: string) => string): Promise<string> {
    const directory = newConfigDir();
    const first = await dvas(DEMO.admin, ['get', 'account', '--top', '1'], { env: { DVAS_CONFIG_DIR: directory } });
    expect(first.code, first.stderr).toBe(ExitCode.Ok);
    const file = join(directory, 'table-cache.json');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return directory;
  }

  it('get: the 404 drops the entry, the table is looked up again, and the read goes to the right entity set', async () => {
    const directory = await staleCache((text) => text.replace('"EntitySetName":"accounts"', '"EntitySetName":"oldaccounts"'));
    const run = await dvas(DEMO.admin, ['get', 'account', '--top', '1', '--verbose', '-o', 'json'], { env: { DVAS_CONFIG_DIR: directory } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.json()).toHaveLength(1);
    expect(loggedRequests(run.stderr).map((request) => request.line.replace(/\?.*/, ''))).toEqual(['GET oldaccounts', 'GET EntityDefinitions', 'GET accounts']);
    expect(readFileSync(join(directory, 'table-cache.json'), 'utf8')).toContain('"EntitySetName":"accounts"');
    expect(readFileSync(join(directory, 'table-cache.json'), 'utf8')).not.toContain('oldaccounts');
  });

  it('create: one row, in the right entity set', async () => {
    const directory = await staleCache((text) => text.replace('"EntitySetName":"accounts"', '"EntitySetName":"oldaccounts"'));
    const run = await dvas(DEMO.admin, ['create', 'account', '--data', '{"name":"Stale cache Ltd"}', '--verbose', '-o', 'json'], { env: { DVAS_CONFIG_DIR: directory } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(loggedRequests(run.stderr).map((request) => request.line)).toEqual(['POST oldaccounts', expect.stringMatching(/^GET EntityDefinitions/), 'POST accounts']);
    const rows = await dvas(DEMO.admin, ['get', 'accounts', '--filter', "name eq 'Stale cache Ltd'", '-o', 'json']);
    expect(rows.json()).toHaveLength(1);
  });

  it('delete: the row goes, from the right entity set', async () => {
    const made = await dvas(DEMO.admin, ['create', 'accounts', '--data', '{"name":"Stale delete Ltd"}', '-o', 'json']);
    const { id } = made.json() as { id: string };
    const directory = await staleCache((text) => text.replace('"EntitySetName":"accounts"', '"EntitySetName":"oldaccounts"'));
    const run = await dvas(DEMO.admin, ['delete', 'account', id, '--yes', '--verbose'], { env: { DVAS_CONFIG_DIR: directory } });
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(loggedRequests(run.stderr).map((request) => request.line).slice(0, 3)).toEqual([`DELETE oldaccounts(${id})`, expect.stringMatching(/^GET EntityDefinitions/), `DELETE accounts(${id})`]);
    const gone = await dvas(DEMO.admin, ['get', 'accounts', id]);
    expect(gone.code).toBe(ExitCode.NotFound);
  });

  it('a table deleted since it was cached: exit 6 from the new lookup, no hint about case', async () => {
    const directory = await staleCache((text) => text.replace('"LogicalName":"account"', '"LogicalName":"new_widget"').replace('"EntitySetName":"accounts"', '"EntitySetName":"new_widgets"'));
    const run = await dvas(DEMO.admin, ['get', 'new_widget', '--top', '1'], { env: { DVAS_CONFIG_DIR: directory } });
    expect(run.code).toBe(ExitCode.NotFound);
    expect(run.stderr).toMatch(/^error: There is no table "new_widget" in this environment\./);
    expect(run.stderr).not.toMatch(/case-sensitive/);
  });
});
