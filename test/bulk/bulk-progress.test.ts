import { describe, expect, it } from 'vitest';
import { PLAIN_EVERY_MS } from '../../src/commands/create/bulk/progress.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { accountsNdjson, useWorkDir } from './bulk-helpers.js';

const emulator = useEmulator({ faults: 'latency=40ms' });
const newConfigDir = useTempConfigDir();
const workDir = useWorkDir();

describe('progress', () => {
  it('stderr not a terminal: a plain line every 5 s of the run’s clock; stdout holds the summary only', async () => {
    const clock = new TestClock();
    const file = workDir().file('rows.ndjson', accountsNdjson('Progress plain', 40));
    const env = { DVAS_URL: emulator().url, DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO_APP.clientId), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' };
    const running = runCli(['create', 'accounts', '--file', file, '--batch-size', '2', '--concurrency', '1', '-o', 'json'], { env, dependencies: { clock } });
    await clock.sleeping();
    await clock.advance(PLAIN_EVERY_MS);
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^dvas: \d+ of 40 rows \(\d+%\), \d+ rows\/s(, .+ left)?$/m);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 40, created: 40 });
  });
});
