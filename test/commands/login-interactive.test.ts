import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import { main } from '../../src/cli.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { visit, type BrowserVisit } from '../helpers/browser.js';
import { ensureBuilt } from '../helpers/build.js';
import { bufferIO, runCli, useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * `dvas login` with an interactive (browser) profile, end to end through msal-node and the
 * emulator's authorization code flow. With no display to open a browser on, dvas prints the
 * sign-in URL on stderr (auth/open-browser.ts); the test reads it there and acts as the browser
 * (test/helpers/browser.ts), as a person would over SSH. The emulator signs in Alex Admin, the
 * person it approves sign-ins as. On macOS and Windows dvas would open the real browser instead,
 * so these run on Linux only.
 */
const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
const newConfigDir = useTempConfigDir();

interface AuthorityLog {
  tokenRequests: number;
  entries: Array<{ endpoint: string; grantType?: string; status: number }>;
}

async function authorityLog(target: RunningEmulator): Promise<AuthorityLog> {
  return (await (await fetch(`${target.url}/_emulator/authority/log`)).json()) as AuthorityLog;
}

/** The URL dvas printed for the person to open, once the whole line has arrived. */
function printedSignInUrl(stderr: string): string | undefined {
  return /Open this URL in a browser to sign in:\n(\S+)\n/.exec(stderr)?.[1];
}

/** No display: dvas cannot open a browser and prints the URL (DISPLAY may be set where the tests run). */
async function interactiveProfile(): Promise<Record<string, string>> {
  const env = { DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1', DISPLAY: '', WAYLAND_DISPLAY: '' };
  const add = await runCli(
    ['profile', 'add', 'dev', '--url', emulator().url, '--auth', 'interactive', '--tenant', emulator().tenantId, '--client-id', PUBLIC_CLIENT_ID],
    { env },
  );
  expect(add.code, add.stderr).toBe(0);
  return env;
}

describe.runIf(process.platform === 'linux')('dvas login (interactive)', () => {
  it('signs in through the browser (URL on stderr), records the account; whoami then makes no token request', async () => {
    const env = await interactiveProfile();
    const io = bufferIO();
    const write = io.stderr.write;
    let browsing: Promise<BrowserVisit> | undefined;
    io.stderr.write = (text: string) => {
      const result = write(text);
      const url = printedSignInUrl(io.stderrText());
      if (url && !browsing) browsing = visit(url);
      return result;
    };
    const before = await authorityLog(emulator());
    const code = await main(['login', '-o', 'json'], { io, env });
    expect(code, io.stderrText()).toBe(ExitCode.Ok);
    const page = await browsing;
    expect(page?.posted).toEqual({ status: 200, text: 'Signed in to dvas. You can close this tab.' });
    const admin = user(emulator(), DEMO.admin);
    expect(JSON.parse(io.stdoutText())).toEqual({
      profile: 'dev',
      auth: 'interactive',
      username: DEMO.admin,
      homeAccountId: `${admin.azureactivedirectoryobjectid}.${emulator().tenantId}`,
      signedIn: true,
    });
    const signIn = (await authorityLog(emulator())).entries.slice(before.entries.length);
    expect(signIn.map((entry) => [entry.endpoint, entry.grantType, entry.status])).toEqual([
      ['authorize', undefined, 200],
      ['token', 'authorization_code', 200],
    ]);

    const afterLogin = await authorityLog(emulator());
    const whoami = await runCli(['whoami', '-o', 'json'], { env });
    expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
    expect(whoami.json()).toMatchObject({ UserId: admin.systemuserid });
    expect(whoami.stderr).not.toContain('Open this URL');
    const afterWhoami = await authorityLog(emulator());
    expect(afterWhoami.tokenRequests).toBe(afterLogin.tokenRequests);
    expect(afterWhoami.entries.length).toBe(afterLogin.entries.length);
  });

  describe('spawned bin/dvas.js', () => {
    beforeAll(() => ensureBuilt(), 180_000);

    it('login (browser acting on the printed URL) then whoami: the second process makes no token request', async () => {
      const env = await interactiveProfile();
      let browsing: Promise<BrowserVisit> | undefined;
      const login = await spawnDvas(['login', '-o', 'json'], env, {
        onStderr: (stderr) => {
          const url = printedSignInUrl(stderr);
          if (url && !browsing) browsing = visit(url);
        },
      });
      expect(login.code, login.stderr).toBe(ExitCode.Ok);
      expect((await browsing)?.posted?.status).toBe(200);
      expect(login.json()).toMatchObject({ auth: 'interactive', username: DEMO.admin, signedIn: true });

      const before = await authorityLog(emulator());
      const whoami = await spawnDvas(['whoami', '-o', 'json'], env);
      expect(whoami.code, whoami.stderr).toBe(ExitCode.Ok);
      expect(whoami.json()).toMatchObject({ UserId: user(emulator(), DEMO.admin).systemuserid });
      expect((await authorityLog(emulator())).tokenRequests).toBe(before.tokenRequests);
    });
  });
});
