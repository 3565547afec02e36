import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { createHttpDispatcher, withLoopbackAliases } from '../../src/http/dispatcher.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { bufferIO, profileFor } from './support.js';

const emulator = useEmulator();

/** A CONNECT proxy on port 0 that records the tunnels it opens. */
const tunnels: string[] = [];
let proxyUrl = '';
const proxy = createServer((_req, res) => res.writeHead(405).end());
proxy.on('connect', (req, client, head) => {
  tunnels.push(req.url ?? '');
  const [host, port] = (req.url ?? '').split(':');
  const upstream = connect(Number(port), host ?? '', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});

beforeAll(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});
beforeEach(() => {
  tunnels.length = 0;
});

async function whoAmIThrough(env: Record<string, string>) {
  const dispatcher = createHttpDispatcher(env);
  try {
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: { DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app) },
      io: bufferIO(),
      dispatcher,
    });
    return (await client.whoAmI()).UserId;
  } finally {
    await dispatcher.close();
  }
}

describe('HTTP(S)_PROXY and NO_PROXY', () => {
  it('sends Dataverse requests through the proxy named by HTTP_PROXY', async () => {
    expect(await whoAmIThrough({ HTTP_PROXY: proxyUrl })).toBe(user(emulator(), DEMO.app).systemuserid);
    expect(tunnels).toEqual([new URL(emulator().url).host]);
  });

  it('honours the lower-case variable too', async () => {
    await whoAmIThrough({ http_proxy: proxyUrl });
    expect(tunnels).toHaveLength(1);
  });

  it('goes direct to a host in NO_PROXY', async () => {
    await whoAmIThrough({ HTTP_PROXY: proxyUrl, NO_PROXY: 'example.com,127.0.0.1' });
    expect(tunnels).toEqual([]);
  });

  it('NO_PROXY=localhost covers 127.0.0.1 and [::1] too', async () => {
    await whoAmIThrough({ HTTP_PROXY: proxyUrl, NO_PROXY: 'localhost' });
    expect(tunnels).toEqual([]);
    expect(withLoopbackAliases('localhost,.corp')).toBe('localhost,.corp,127.0.0.1,[::1]');
    expect(withLoopbackAliases('.corp')).toBe('.corp');
  });

  it('ignores the proxy variables of the process: only the run environment counts', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxyUrl;
    try {
      await whoAmIThrough({});
      expect(tunnels).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  it('msal signs in through the same proxy (its network client uses the shared dispatcher)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dvas-proxy-'));
    const dispatcher = createHttpDispatcher({ HTTP_PROXY: proxyUrl });
    try {
      const profile = profileFor(emulator().url, { auth: 'client-secret', clientId: DEMO_APP.clientId, tenantId: emulator().tenantId });
      const provider = createTokenProvider(profile, {
        env: { DVAS_CLIENT_SECRET: DEMO_APP.clientSecret },
        io: bufferIO(),
        dispatcher,
        cacheFile: join(directory, 'token-cache.json'),
      });
      const before = emulator().authority.log.tokenRequests;
      expect((await provider.getToken()).token).toMatch(/^ey/);
      expect(emulator().authority.log.tokenRequests).toBe(before + 1);
      expect(tunnels.length).toBeGreaterThanOrEqual(1);
    } finally {
      await dispatcher.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
