import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import type { CliError } from '../../src/errors.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';

let bin: string;
beforeEach(async () => {
  bin = await mkdtemp(join(tmpdir(), 'dvas-az-'));
});
afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

/** Puts a fake `az` on a PATH of its own: it logs its arguments and runs `body` (POSIX sh). */
async function fakeAz(body: string): Promise<void> {
  const script = join(bin, 'az');
  await writeFile(script, `#!/bin/sh\necho "$@" >> "${join(bin, 'calls.log')}"\n${body}\n`);
  await chmod(script, 0o755);
}
const calls = async () => (await readFile(join(bin, 'calls.log'), 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

const dispatcher = createHttpDispatcher({});
const provider = (overrides: Parameters<typeof profileFor>[1] = {}) =>
  createTokenProvider(profileFor('https://contoso.crm.dynamics.com', { auth: 'azure-cli', ...overrides }), {
    env: { PATH: bin },
    io: bufferIO(),
    dispatcher,
    cacheFile: '/nonexistent/unused.json',
  });

describe.skipIf(process.platform === 'win32')('azure-cli sign-in', () => {
  it('asks az for a token for the environment (and tenant), once per run until a refresh is forced', async () => {
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    await fakeAz(`printf '{"accessToken":"az-token","expiresOn":"2030-01-01 00:00:00.000000","expires_on":${expiresOn},"tenant":"t","tokenType":"Bearer"}'`);
    const tokens = provider({ tenantId: 'contoso-tenant' });
    const first = await tokens.getToken();
    expect(first).toEqual({ token: 'az-token', expiresOn: new Date(expiresOn * 1000) });
    await tokens.getToken();
    expect(await calls()).toEqual([
      'account get-access-token --resource https://contoso.crm.dynamics.com --output json --tenant contoso-tenant',
    ]);
    await tokens.getToken({ forceRefresh: true });
    expect(await calls()).toHaveLength(2);
  });

  it('reads expiresOn (local time) from an older az', async () => {
    await fakeAz(`printf '{"accessToken":"old-az","expiresOn":"2030-01-01 10:00:00.000000"}'`);
    expect((await provider().getToken()).expiresOn).toEqual(new Date(2030, 0, 1, 10, 0, 0));
  });

  it('signed out of az: exit 4 with az’s reason and a hint to run az login', async () => {
    await fakeAz(`echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`);
    await expect(provider().getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Auth,
      message: "The Azure CLI could not give a token: Please run 'az login' to setup account.",
      hint: expect.stringContaining('az login'),
    });
  });

  it('az not installed: exit 4 saying so', async () => {
    await expect(provider().getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Auth,
      message: 'The Azure CLI (az) is not installed or not on the PATH.',
    });
  });

  it('an answer that is not JSON: exit 4, and not a character of it in the error or its cause (it may hold a token)', async () => {
    await fakeAz(`printf 'az-secret-token-part-1234567890 {"accessToken":"az-secret-token-part-1234567890'`);
    const error = (await provider().getToken().catch((caught: unknown) => caught)) as CliError;
    expect(error.exitCode).toBe(ExitCode.Auth);
    const everything = `${error.message} ${String((error.cause as Error)?.message)} ${String((error.cause as Error)?.stack)}`;
    expect(everything).not.toContain('secret');
    expect((error.cause as Error).message).toMatch(/not valid JSON/);
  });

  it('an answer without a token is an error, not an empty bearer', async () => {
    await fakeAz(`printf '{"tokenType":"Bearer"}'`);
    await expect(provider().getToken()).rejects.toMatchObject({ message: 'The Azure CLI answered without an access token.' });
  });
});
