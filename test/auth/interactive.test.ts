import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { defaultOpenBrowser } from '../../src/auth/open-browser.js';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';
import { simulatedBrowser } from '../helpers/browser.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { whoAmI } from '../authority/helpers.js';

/** Riley is the person at the emulated browser: the authorize endpoint signs them in. */
const emulator = useEmulator({ approveDeviceCodes: DEMO.riley });
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());

describe('opening the browser', () => {
  it('prints the sign-in URL on stderr when there is no display to open a browser on', async () => {
    const io = bufferIO();
    await defaultOpenBrowser(io, {}, 'linux')('https://login.example/authorize?x=1&y=2');
    expect(io.stderrText()).toBe('Open this URL in a browser to sign in:\nhttps://login.example/authorize?x=1&y=2\n');
    expect(io.stdoutText()).toBe('');
  });
});

describe('interactive sign-in (browser)', () => {
  it('sends the browser to the authority with the Dataverse scope and PKCE, and gets the signed-in person’s token back through the loopback', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dvas-interactive-'));
    // A stand-in for the person's browser: it opens the authorize URL and posts Entra's
    // auto-submitting form back to msal's loopback redirect (response_mode=form_post).
    const browser = simulatedBrowser();
    try {
      const profile = profileFor(emulator().url, { auth: 'interactive', tenantId: emulator().tenantId });
      const token = await createTokenProvider(profile, {
        env: {},
        io: bufferIO(),
        dispatcher,
        cacheFile: join(directory, 'token-cache.json'),
        allowInteraction: true,
        openBrowser: browser.open,
      }).getToken();

      const authorize = browser.visits[0]?.url;
      expect(`${authorize?.origin}${authorize?.pathname}`).toBe(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/authorize`);
      expect(authorize?.searchParams.get('client_id')).toBe(PUBLIC_CLIENT_ID);
      expect(authorize?.searchParams.get('scope')?.split(' ')).toContain(`${emulator().url}/.default`);
      expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize?.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
      expect(browser.visits[0]?.posted?.text).toBe('Signed in to dvas. You can close this tab.');
      expect(emulator().authority.log.entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'authorization_code', status: 200 });
      expect(await whoAmI(emulator(), token.token)).toMatchObject({ status: 200, userId: user(emulator(), DEMO.riley).systemuserid });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
