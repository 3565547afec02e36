import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../../src/emulator/index.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { accountsTagged, taggedAccounts, useSeedCli, type SeedWorkspace } from '../../helpers/bulk-seed.js';
import { useEmulator } from '../../helpers/emulator.js';

/**
 * Issue 13, "Done when": a malformed file sends nothing, checked on the emulator's request log:
 * dvas reads the whole file before its first write, so a bad line anywhere, even the last rows,
 * ends the run with exit 2 naming the line, and no request that writes ever reaches the service.
 */
describe('dvas create --file with a malformed file: exit 2, the lines named, nothing written', () => {
  const emulator = useEmulator();
  const cli = useSeedCli(emulator);

  /** Runs dvas on the file `write` makes; returns the run and the requests the emulator received meanwhile. */
  async function seedFrom(write: (workspace: SeedWorkspace, tag: string) => string) {
    const tag = `M${randomUUID().slice(0, 8)}`;
    const workspace = cli.workspace();
    const file = write(workspace, tag);
    const from = emulator().requestLog.entries.length;
    const run = await cli.run(workspace, DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--report', workspace.path('report.ndjson')]);
    const requests = emulator().requestLog.entries.slice(from);
    return { run, tag, requests, writes: requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.target}`) };
  }

  /** 1,000 good NDJSON lines with `bad` lines (by line number) put in their place. */
  const ndjsonWith = (bad: Record<number, string>) => (workspace: SeedWorkspace, tag: string) => {
    const lines = taggedAccounts(tag, 1000).map((row, index) => bad[index + 1] ?? JSON.stringify(row));
    const file = workspace.path('rows.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };

  it('three bad lines among 1,000 (not JSON, an unknown column, a value of the wrong type): all three named, no write', async () => {
    const { run, tag, writes } = await seedFrom(
      ndjsonWith({ 500: '{"name": "cut short"', 800: '{"nmae":"typo","accountnumber":"x-800"}', 999: '{"name":"wrong type","numberofemployees":"many"}' }),
    );
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/line 500\b/);
    expect(run.stderr).toMatch(/line 800\b.*nmae/);
    expect(run.stderr).toMatch(/line 999\b.*numberofemployees/);
    expect(run.stderr).toMatch(/nothing was sent/i);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(writes).toEqual([]);
    expect(accountsTagged(emulator(), tag)).toEqual([]);
  }, 60_000);

  it('a row naming a user nobody is: the line named, no write', async () => {
    const { run, tag, writes } = await seedFrom(
      ndjsonWith({ 42: JSON.stringify({ '@as': 'nobody.at.all@contoso.com', name: 'Orphan', accountnumber: 'orphan-42' }) }),
    );
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/line 42\b.*nobody\.at\.all@contoso\.com/);
    expect(writes).toEqual([]);
    expect(accountsTagged(emulator(), tag)).toEqual([]);
  }, 60_000);

  it('a CSV whose value does not fit its column: the line and column named, no write', async () => {
    const { run, tag, writes } = await seedFrom((workspace, tag) => {
      const records = taggedAccounts(tag, 50).map((row, index) => `"${String(row.name)}",${String(row.accountnumber)},${index === 29 ? 'lots' : index + 1}`);
      const file = workspace.path('rows.csv');
      writeFileSync(file, ['name,accountnumber,numberofemployees', ...records].join('\r\n') + '\r\n');
      return file;
    });
    expect(run.code, run.stderr).toBe(ExitCode.Usage);
    // The 30th record starts on line 31: the header is line 1.
    expect(run.stderr).toMatch(/line 31\b.*numberofemployees.*lots/);
    expect(writes).toEqual([]);
    expect(accountsTagged(emulator(), tag)).toEqual([]);
  }, 60_000);
});
