import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/build.js';
import { EXAMPLE_SEED, firstLine, useDvasProcesses, waitForStdout, type DvasProcess } from '../helpers/emulator-process.js';

/**
 * `dvas emulator` as a process, the way a script uses it: spawn the real bin/dvas.js, read the
 * one JSON line, talk to the URL, stop it with a signal.
 */
const start = useDvasProcesses();

async function startJson(args: string[] = []): Promise<{ started: DvasProcess; info: StartupInfo }> {
  const started = start(['emulator', '--port', '0', '--json', ...args]);
  return { started, info: JSON.parse(await firstLine(started)) as StartupInfo };
}

interface StartupInfo {
  url: string;
  tenantId: string;
  certificatePath: string;
  users: Array<{ fullname: string; systemuserid: string; azureactivedirectoryobjectid: string | null; internalemailaddress: string }>;
}

function portIsClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('dvas emulator --port 0 --json', () => {
  it('prints exactly one JSON line with url, tenantId and the users, serves that URL, and stops cleanly on SIGTERM (exit 0)', async () => {
    const { started, info } = await startJson();
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(info.url).port).not.toBe('0');
    expect(info.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.users.length).toBe(10);
    for (const entry of info.users) {
      expect(entry).toEqual(
        expect.objectContaining({
          fullname: expect.any(String),
          systemuserid: expect.stringMatching(/^[0-9a-f-]{36}$/),
          internalemailaddress: expect.stringContaining('@'),
        }),
      );
      expect('azureactivedirectoryobjectid' in entry).toBe(true);
    }
    expect(info.users.find((entry) => entry.fullname === 'Owen OnPrem')?.azureactivedirectoryobjectid).toBeNull();
    expect(info.users.find((entry) => entry.fullname === 'Sam Sales')?.azureactivedirectoryobjectid).toMatch(/^[0-9a-f-]{36}$/);

    // The service answers at that URL: without a token, the bearer challenge naming this tenant.
    const response = await fetch(`${info.url}/api/data/v9.2/WhoAmI`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(`/${info.tenantId}/oauth2/authorize`);

    started.child.kill('SIGTERM');
    const exit = await started.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(started.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    expect(started.stderr()).toBe('');
    expect(await portIsClosed(info.url)).toBe(true);
  });

  it('stops cleanly on SIGINT with exit code 130: no error line, its certificate files removed', async () => {
    const { started, info } = await startJson();
    const { certificatePath } = info;
    expect(existsSync(certificatePath)).toBe(true);
    started.child.kill('SIGINT');
    expect(await started.exited).toEqual({ code: 130, signal: null });
    expect(await portIsClosed(info.url)).toBe(true);
    // Ctrl+C is how an emulator is stopped, not a failure: nothing to report, nothing left behind.
    expect(started.stderr()).toBe('');
    expect(existsSync(certificatePath)).toBe(false);
  });

  it('shuts down even with a client holding a keep-alive connection open', async () => {
    const { started, info } = await startJson();
    const socket = connect(Number(new URL(info.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write(`GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    socket.destroy();
  });

  it('--seed serves the seeded organisation', async () => {
    const { started, info } = await startJson(['--seed', EXAMPLE_SEED]);
    expect(info.tenantId).toBe('a6b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d');
    expect(info.users.map((entry) => entry.fullname)).toContain('Casey Consultant');
    started.child.kill('SIGTERM');
    expect((await started.exited).code).toBe(0);
  });
});

describe('dvas emulator failures', () => {
  it.each([
    ['an unreadable file', join(ROOT, 'docs', 'examples', 'no-such-seed.json'), /^error: Cannot read the seed file .*no-such-seed\.json: ENOENT\.$/],
    ['a file that is not JSON', BIN, /^error: The seed file .*dvas\.js is not valid JSON: .*\.$/],
    ['a JSON file that is not a seed', join(ROOT, 'tsconfig.json'), /^error: The seed has an unknown key 'compilerOptions'; the keys are organization, businessUnits, roles, users, teams, tables, keys, rows, shares\.$/],
  ])('--seed with %s: exit 2 and one sentence on stderr, no stack trace', async (_label, file, message) => {
    const started = start(['emulator', '--port', '0', '--seed', file]);
    const exit = await started.exited;
    expect(exit.code).toBe(2);
    const lines = started.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(started.stderr()).not.toMatch(/\n\s+at /);
    expect(started.stdout()).toBe('');
  });

  it('--seed naming an unknown role: exit 2 with the seed error sentence', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dvas-cli-seed-')), 'seed.json');
    const seed = JSON.parse(readFileSync(EXAMPLE_SEED, 'utf8')) as { users: Array<{ roles?: string[] }> };
    seed.users[1]?.roles?.push('Chief Wizard');
    writeFileSync(file, JSON.stringify(seed));
    const started = start(['emulator', '--port', '0', '--seed', file]);
    expect((await started.exited).code).toBe(2);
    expect(started.stderr().trim()).toBe("error: User 'morgan@fabrikam.example' names role 'Chief Wizard', which the seed does not declare.");
  });

  it('--port already in use: a clear error and exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const started = start(['emulator', '--port', String(port)]);
      const exit = await started.exited;
      expect(exit.code).toBe(1);
      expect(started.stderr()).toContain(`error: Port ${port} is already in use.`);
      expect(started.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.each([['abc'], ['70000'], ['-1']])('--port %s is a usage error (exit 2)', async (port) => {
    const started = start(['emulator', '--port', port]);
    expect((await started.exited).code).toBe(2);
    expect(started.stderr()).toMatch(/--port/);
  });
});

describe('dvas emulator for people', () => {
  it('lists the URL and every user with email, systemuserid and Entra object id', async () => {
    const started = start(['emulator', '--port', '0']);
    const text = await waitForStdout(started, (output) => output.includes('Owen OnPrem') && output.includes('Nora NoRoles'));
    expect(text).toMatch(/listening at http:\/\/127\.0\.0\.1:\d+/);
    for (const name of ['dvas demo app', 'Alex Admin', 'Sam Sales', 'Riley Reader', 'Tess Team', 'Devon Delegate', 'Dana Disabled', 'Nora NoRoles', 'Owen OnPrem']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('sam.sales@contoso.com');
    expect(text).toMatch(/systemuserid=[0-9a-f-]{36}/);
    expect(text).toMatch(/Owen OnPrem .*objectid=-/);
    started.child.kill('SIGTERM');
    expect((await started.exited).code).toBe(0);
  });
});

describe('dvas itself', () => {
  it('--version prints the package.json version', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const result = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('--help lists the commands', () => {
    const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: dvas/);
    expect(result.stdout).toMatch(/^\s+emulator\b/m);
    expect(result.stdout).toMatch(/^\s+demo\b/m);
  });

  it('emulator --help lists its options', () => {
    const result = spawnSync(process.execPath, [BIN, 'emulator', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const flag of ['--port', '--seed', '--unknown-caller', '--json']) expect(result.stdout).toContain(flag);
  });
});
