import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir, type CliRun } from '../helpers/cli.js';
import { TestClock } from '../helpers/test-clock.js';

/** A port on this machine where nothing listens (it was free a moment ago, and is closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A refused connection fails fast (issue 12): with the emulator stopped or a wrong port, a
 * command does not retry for half a minute. The run is on a test clock that never moves: any wait
 * at all would show as a sleeper on it instead of a finished run.
 */
describe('bad input: a connection refused on this machine', () => {
  const newConfigDir = useTempConfigDir();

  async function dvasOnClosedPort(argv: string[]): Promise<{ run: CliRun; clock: TestClock; port: number }> {
    const port = await closedPort();
    const clock = new TestClock();
    const running = runCli(argv, {
      env: { DVAS_URL: `http://127.0.0.1:${port}`, DVAS_ACCESS_TOKEN: 'token', DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
      dependencies: { clock },
    });
    const waited = clock.sleeping().then(() => 'waited' as const);
    const first = await Promise.race([running, waited]);
    expect(first, `dvas waited on the clock: ${clock.pending.join(', ')} ms`).not.toBe('waited');
    return { run: await running, clock, port };
  }

  it.each([
    ['whoami', ['whoami']],
    ['get', ['get', 'accounts', '--top', '1']],
    ['create', ['create', 'accounts', '--data', '{"name":"x"}']],
  ])('%s: exit 1 at once, one sentence and a hint, no stack, no waiting', async (_, argv) => {
    const { run, clock, port } = await dvasOnClosedPort(argv);
    expect(run.code).toBe(ExitCode.Failure);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: Cannot connect to 127.0.0.1:${port}: the connection was refused. [ECONNREFUSED]\n` +
        `hint: Nothing listens on 127.0.0.1:${port} on this machine: start the service there (the emulator: dvas emulator), or check the port in the URL.\n`,
    );
    expect(clock.pending).toEqual([]);
  });

  it('--verbose says why it is not sent again', async () => {
    const { run, port } = await dvasOnClosedPort(['whoami', '--verbose']);
    expect(run.code).toBe(ExitCode.Failure);
    expect(run.stderr).toContain(
      `dvas: not sending GET /api/data/v9.2/WhoAmI again: nothing accepts connections at 127.0.0.1:${port} on this machine (ECONNREFUSED), and waiting will not change that.\n`,
    );
    expect(run.stderr).not.toMatch(/waiting \d+ s/);
  });
});
