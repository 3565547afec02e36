import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { defaultOpenBrowser } from '../../src/auth/open-browser.js';
import { DATAVERSE_PUBLIC_CLIENT_ID } from '../../src/auth/client-ids.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { bufferIO, profileFor } from '../dataverse/support.js';
import { useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());

describe('opening the browser', () => {
  it('prints the sign-in URL on stderr when there is no display to open a browser on', async () => {
    const io = bufferIO();
    await defaultOpenBrowser(io, {}, 'linux')('https://login.example/authorize?x=1&y=2');
    expect(io.err()).toBe('Open this URL in a browser to sign in:\nhttps://login.example/authorize?x=1&y=2\n');
    expect(io.out()).toBe('');
  });
});

describe('interactive sign-in (browser)', () => {
  it('sends the browser to the authority with the Dataverse scope and PKCE, and receives the answer on the loopback', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dvas-interactive-'));
    const opened: URL[] = [];
    // A stand-in for the person's browser: it reads the authorize URL and posts an authorization
    // code back to the loopback redirect, as Entra's sign-in page does (response_mode=form_post).
    const browser = async (url: string) => {
      const authorize = new URL(url);
      opened.push(authorize);
      const form = new URLSearchParams({ code: 'code-from-the-authority', state: authorize.searchParams.get('state') ?? '' });
      await fetch(authorize.searchParams.get('redirect_uri') ?? '', { method: 'POST', body: form, redirect: 'manual' });
    };
    try {
      const profile = profileFor(emulator().url, { auth: 'interactive', tenantId: emulator().tenantId });
      const error = await createTokenProvider(profile, {
        env: {},
        io: bufferIO(),
        dispatcher,
        cacheFile: join(directory, 'token-cache.json'),
        allowInteraction: true,
        openBrowser: browser,
      })
        .getToken()
        .catch((caught: unknown) => caught);

      const [authorize] = opened;
      expect(`${authorize?.origin}${authorize?.pathname}`).toBe(`${emulator().url}/${emulator().tenantId}/oauth2/v2.0/authorize`);
      expect(authorize?.searchParams.get('client_id')).toBe(DATAVERSE_PUBLIC_CLIENT_ID);
      expect(authorize?.searchParams.get('scope')?.split(' ')).toContain(`${emulator().url}/.default`);
      expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize?.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
      // The emulator does not emulate the authorization code grant (docs/emulator-authority.md):
      // msal got the code back and redeemed it, and the authority's refusal is a sign-in error.
      expect(error).toMatchObject({ exitCode: ExitCode.Auth, code: 'unsupported_grant_type' });
      expect(emulator().authority.log.entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'authorization_code' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
