import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';
import { firstLine, useDvasProcesses, whoamiOverHttps } from '../helpers/emulator-process.js';

interface StartupInfo {
  url: string;
  apiUrl: string;
  authority: string;
  clientId: string;
  clientSecret: string;
  healthUrl: string;
  caPath: string | null;
}

/**
 * `dvas emulator --https`, for clients that refuse plain http: a certificate made at start, the
 * path of its CA in the `--json` line, and clients that trust that CA and nothing else.
 */
describe('dvas emulator --https', () => {
  const spawnDvas = useDvasProcesses();

  it('serves the Web API and the authority over TLS to a client that trusts only the printed CA', async () => {
    const started = spawnDvas(['emulator', '--https', '--json']);
    const info = JSON.parse(await firstLine(started)) as StartupInfo;
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.caPath).toEqual(expect.any(String));
    const caPath = info.caPath as string;
    // Only this CA: undici's `ca` replaces the system's roots.
    const dispatcher = new Agent({ connect: { ca: readFileSync(caPath, 'utf8') } });
    try {
      const token = await undiciFetch(`${info.authority}/oauth2/v2.0/token`, {
        dispatcher,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: info.clientId, client_secret: info.clientSecret, scope: `${info.url}/.default` }).toString(),
      });
      expect(token.status).toBe(200);
      const { access_token } = (await token.json()) as { access_token: string };
      const whoami = await undiciFetch(`${info.apiUrl}WhoAmI`, { dispatcher, headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' } });
      expect(whoami.status).toBe(200);
      expect((await whoami.json()) as object).toEqual(expect.objectContaining({ UserId: expect.stringMatching(/^[0-9a-f-]{36}$/) }));

      // A client that does not trust it is refused at the handshake: the certificate is the run's own.
      const untrusting = new Agent({ connect: { ca: readFileSync(join(ROOT, 'test', 'fixtures', 'tls', 'ca.pem'), 'utf8') } });
      const refused = await undiciFetch(info.healthUrl, { dispatcher: untrusting }).then(
        () => undefined,
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      await untrusting.close();
      expect(refused).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    } finally {
      await dispatcher.close();
    }
    started.child.kill('SIGTERM');
    expect((await started.exited).code).toBe(0);
    expect(existsSync(caPath)).toBe(false);
  });

  it('is reachable by the dvas CLI, msal sign-in included, with NODE_EXTRA_CA_CERTS naming the CA', async () => {
    const started = spawnDvas(['emulator', '--https', '--json']);
    const info = JSON.parse(await firstLine(started)) as StartupInfo;
    const tenant = new URL(info.authority).pathname.split('/')[1] as string;
    const whoami = whoamiOverHttps(info, { tenant, authority: info.authority });
    expect(whoami.status, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toEqual(expect.objectContaining({ UserId: expect.stringMatching(/^[0-9a-f-]{36}$/) }));
    started.child.kill('SIGTERM');
    await started.exited;
  });

  it('refuses --profile with --https in one sentence, exit 2, before starting', async () => {
    const started = spawnDvas(['emulator', '--https', '--json', '-p', 'tls']);
    expect((await started.exited).code).toBe(2);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toMatch(/^error: --https cannot be combined with --profile: [^\n]+\.\n/);
  });
});
