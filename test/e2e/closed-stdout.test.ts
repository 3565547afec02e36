import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { useEmulator } from '../helpers/emulator.js';
import { useTempConfigDir } from '../helpers/cli.js';

beforeAll(() => ensureBuilt(), 180_000);

/**
 * `dvas get accounts | head -1`: the reader closes the pipe while dvas still writes. Node raises
 * the failed write (EPIPE) as an unhandled error with a stack trace; dvas stops quietly with 141.
 */
describe('stdout closed by its reader', () => {
  const emulator = useEmulator();
  const configDir = useTempConfigDir();

  it.each([['json'], ['ndjson'], ['table']])('-o %s: exit 141, nothing on stderr', async (format) => {
    const child = spawn(process.execPath, [BIN, 'get', 'accounts', '-o', format], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        DVAS_CONFIG_DIR: configDir(),
        DVAS_URL: emulator().url,
        AZURE_TENANT_ID: emulator().tenantId,
        AZURE_CLIENT_ID: DEMO_APP.clientId,
        AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before dvas has started: its first write of data meets a pipe with no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).toBe('');
    expect(code).toBe(ExitCode.BrokenPipe);
  });
});
