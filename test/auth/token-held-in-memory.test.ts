import { mkdtemp, rm } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { heldInMemory } from '../../src/auth/held-token.js';
import type { AccessToken, TokenProvider } from '../../src/auth/token-provider.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';

// Counts the real reads of the token cache file: node's own readFile, called through, so that msal
// and dvas read the real file as they always do (nothing of dvas is replaced).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const MINUTE = 60_000;

/** A provider that hands out token-1, token-2… each valid for `lifetimeMs` from the clock's now. */
function countingProvider(clock: TestClock, lifetimeMs = 60 * MINUTE) {
  const calls: Array<{ forceRefresh?: boolean } | undefined> = [];
  let fail = false;
  const provider: TokenProvider = {
    async getToken(request) {
      calls.push(request);
      if (fail) throw new Error('sign-in failed');
      return { token: `token-${calls.length}`, expiresOn: new Date(clock.now() + lifetimeMs) };
    },
  };
  return { provider, calls, failFromNowOn: () => (fail = true) };
}

describe('heldInMemory (the token cycler)', () => {
  it('hands out the same token until five minutes before it expires, then asks again', async () => {
    const clock = new TestClock();
    const { provider, calls } = countingProvider(clock);
    const held = heldInMemory(provider, clock);
    expect((await held.getToken()).token).toBe('token-1');
    await clock.advance(54 * MINUTE);
    expect((await held.getToken()).token).toBe('token-1');
    await clock.advance(1 * MINUTE + 1);
    expect((await held.getToken()).token).toBe('token-2');
    expect(calls).toHaveLength(2);
  });

  it('requests that come together while a token is fetched share the one fetch', async () => {
    const clock = new TestClock();
    const { provider, calls } = countingProvider(clock);
    const held = heldInMemory(provider, clock);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => held.getToken()));
    expect(new Set(tokens.map((token: AccessToken) => token.token))).toEqual(new Set(['token-1']));
    expect(calls).toHaveLength(1);
  });

  it('forceRefresh (the service refused the token) always asks again, and the new token is held', async () => {
    const clock = new TestClock();
    const { provider, calls } = countingProvider(clock);
    const held = heldInMemory(provider, clock);
    await held.getToken();
    expect((await held.getToken({ forceRefresh: true })).token).toBe('token-2');
    expect(calls[1]).toEqual({ forceRefresh: true });
    expect((await held.getToken()).token).toBe('token-2');
    expect(calls).toHaveLength(2);
  });

  it('a refresh that fails inside the window falls back to the held token until it expires', async () => {
    const clock = new TestClock();
    const { provider, failFromNowOn } = countingProvider(clock);
    const held = heldInMemory(provider, clock);
    await held.getToken();
    failFromNowOn();
    await clock.advance(57 * MINUTE);
    expect((await held.getToken()).token).toBe('token-1');
    await clock.advance(3 * MINUTE);
    await expect(held.getToken()).rejects.toThrow('sign-in failed');
  });

  it('a token that lives less than the window is not held: each request asks again', async () => {
    const clock = new TestClock();
    const { provider, calls } = countingProvider(clock, 2 * MINUTE);
    const held = heldInMemory(provider, clock);
    await held.getToken();
    await held.getToken();
    expect(calls).toHaveLength(2);
  });
});

describe('a bulk of requests in one process (real msal, real emulator, real cache file)', () => {
  const emulator = useEmulator({ limits: false });
  const dispatcher = createHttpDispatcher({});
  afterAll(() => dispatcher.close());
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dvas-held-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const readsOf = (file: string) => vi.mocked(fs.readFile).mock.calls.filter(([path]) => path === file).length;

  function appClient(cacheFile: string) {
    const profile = profileFor(emulator().url, { auth: 'client-secret', clientId: DEMO_APP.clientId, tenantId: emulator().tenantId });
    return createDataverseClient({ profile, env: { DVAS_CLIENT_SECRET: DEMO_APP.clientSecret }, io: bufferIO(), dispatcher, cacheFile });
  }

  it('1,000 requests read the token cache file once', async () => {
    const cacheFile = join(directory, 'config', 'token-cache.json');
    // An earlier run signed in and left its token in the file.
    await appClient(cacheFile).whoAmI();
    const tokenRequests = emulator().authority.log.tokenRequests;
    const readsBefore = readsOf(cacheFile);

    const client = appClient(cacheFile);
    const appUserId = user(emulator(), DEMO.app).systemuserid;
    // Eight at a time, as a bulk run sends them (the first eight share the one read).
    for (let sent = 0; sent < 1000; sent += 8) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => client.whoAmI()));
      for (const answer of answers) expect(answer.UserId).toBe(appUserId);
    }

    expect(readsOf(cacheFile) - readsBefore).toBe(1);
    expect(emulator().authority.log.tokenRequests).toBe(tokenRequests);
  });
});
