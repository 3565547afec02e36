import { createHash, randomBytes } from 'node:crypto';
import { PublicClientApplication, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { emulatorMsalAuthority, type RunningEmulator } from '../../src/emulator/index.js';
import { chooseAccount, pageText, simulatedBrowser, visit } from '../helpers/browser.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { TestClock } from '../helpers/test-clock.js';
import { authorityLog, decodeClaims, postForm, tokenEndpoint, whoAmI } from './helpers.js';

/**
 * The authorization code flow (interactive sign-in) as msal-node 7's acquireTokenInteractive runs it
 * against the emulator's authority: the authorize page, the form_post back to msal's loopback
 * listener, the code redeemed with PKCE. The browser is simulated (test/helpers/browser.ts).
 */
const PUBLIC_CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';

const approving = useEmulator({ approveDeviceCodes: DEMO.sam });
const nobodySignedIn = useEmulator();
// Codes that live one second, on a clock the test moves: a code expires in no real time.
const shortCodesClock = new TestClock();
const shortCodes = useEmulator({ approveDeviceCodes: DEMO.sam, authorizationCodeLifetimeSeconds: 1, clock: shortCodesClock });

function publicApp(emulator: RunningEmulator, clientId = PUBLIC_CLIENT) {
  return new PublicClientApplication({ auth: { clientId, ...emulatorMsalAuthority(emulator.url, emulator.tenantId) } });
}

const scopesFor = (emulator: RunningEmulator) => [`${emulator.url}/user_impersonation`];

describe('acquireTokenInteractive (msal-node) against the emulator', () => {
  it('signs in the person approveDeviceCodes names: form_post back to the loopback, a token the Web API accepts', async () => {
    const emulator = approving();
    const before = (await authorityLog(emulator)).entries.length;
    const browser = simulatedBrowser();
    const result = await publicApp(emulator).acquireTokenInteractive({ scopes: scopesFor(emulator), openBrowser: browser.open, successTemplate: 'Signed in.' });

    const sam = user(emulator, DEMO.sam);
    const [page] = browser.visits;
    // What msal asked for, and Entra's answer: the auto-submitting form to the loopback.
    expect(page?.url.searchParams.get('response_mode')).toBe('form_post');
    expect(page?.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(page?.status).toBe(200);
    expect(page?.form?.action).toBe(page?.url.searchParams.get('redirect_uri'));
    expect(Object.keys(page?.form?.fields ?? {})).toEqual(['code', 'client_info', 'state', 'session_state']);
    expect(page?.form?.fields.state).toBe(page?.url.searchParams.get('state'));
    expect(page?.posted).toEqual({ status: 200, text: 'Signed in.' });

    expect(result.account).toMatchObject({ homeAccountId: `${sam.azureactivedirectoryobjectid}.${emulator.tenantId}`, username: sam.domainname });
    expect(result.idToken).not.toBe('');
    expect(decodeClaims(result.accessToken)).toMatchObject({ oid: sam.azureactivedirectoryobjectid, appid: PUBLIC_CLIENT, aud: emulator.url, idtyp: 'user', scp: 'user_impersonation' });
    expect(await whoAmI(emulator, result.accessToken)).toMatchObject({ status: 200, userId: sam.systemuserid });

    const entries = (await authorityLog(emulator)).entries.slice(before);
    expect(entries.map((entry) => [entry.endpoint, entry.grantType, entry.status])).toEqual([
      ['authorize', undefined, 200],
      ['token', 'authorization_code', 200],
    ]);
    expect(entries[0]?.clientId).toBe(PUBLIC_CLIENT);
  });

  it('gives a refresh token with the sign-in: acquireTokenSilent with forceRefresh redeems it', async () => {
    const emulator = approving();
    const app = publicApp(emulator);
    const first = await app.acquireTokenInteractive({ scopes: scopesFor(emulator), openBrowser: simulatedBrowser().open });
    const account = first.account;
    if (!account) throw new Error('no account');
    const refreshed = await app.acquireTokenSilent({ account, scopes: scopesFor(emulator), forceRefresh: true });
    expect(refreshed.fromCache).toBe(false);
    expect((await authorityLog(emulator)).entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'refresh_token', status: 200 });
    expect(await whoAmI(emulator, refreshed.accessToken)).toMatchObject({ status: 200, userId: user(emulator, DEMO.sam).systemuserid });
  });

  it('signs in the login_hint person rather than the approving one', async () => {
    const emulator = approving();
    const result = await publicApp(emulator).acquireTokenInteractive({ scopes: scopesFor(emulator), loginHint: DEMO.riley, openBrowser: simulatedBrowser().open });
    expect(await whoAmI(emulator, result.accessToken)).toMatchObject({ status: 200, userId: user(emulator, DEMO.riley).systemuserid });
  });

  it('a login_hint naming someone who cannot sign in falls back to the approving person, as Entra lets a person sign in as someone else', async () => {
    const emulator = approving();
    const result = await publicApp(emulator).acquireTokenInteractive({ scopes: scopesFor(emulator), loginHint: DEMO.owen, openBrowser: simulatedBrowser().open });
    expect(await whoAmI(emulator, result.accessToken)).toMatchObject({ status: 200, userId: user(emulator, DEMO.sam).systemuserid });
  });

  it('echoes the request nonce in the ID token', async () => {
    const emulator = approving();
    const result = await publicApp(emulator).acquireTokenInteractive({ scopes: scopesFor(emulator), nonce: 'nonce-123', openBrowser: simulatedBrowser().open });
    expect(decodeClaims(result.idToken)).toMatchObject({ nonce: 'nonce-123', aud: PUBLIC_CLIENT });
  });

  it('with nobody to sign in as, the page says who may; choosing someone there signs them in', async () => {
    const emulator = nobodySignedIn();
    const pages: string[] = [];
    const result = await publicApp(emulator).acquireTokenInteractive({
      scopes: scopesFor(emulator),
      openBrowser: async (url) => {
        const first = await visit(url);
        pages.push(first.html);
        expect(first.form).toBeUndefined();
        const second = await visit(chooseAccount(first.html, first.url, DEMO.tess));
        expect(second.posted?.status).toBe(200);
      },
    });
    const text = pageText(pages[0] ?? '');
    expect(text).toContain('Who may sign in');
    expect(text).toContain(user(emulator, DEMO.tess).domainname);
    // Application users and on-premises users cannot sign in to Entra: not offered.
    expect(text).not.toContain(user(emulator, DEMO.owen).domainname);
    expect(await whoAmI(emulator, result.accessToken)).toMatchObject({ status: 200, userId: user(emulator, DEMO.tess).systemuserid });
  });

  it('a login_hint naming someone who cannot sign in: the page says why, and who may', async () => {
    const emulator = nobodySignedIn();
    const browser = simulatedBrowser();
    const failure = await publicApp(emulator)
      .acquireTokenInteractive({ scopes: scopesFor(emulator), loginHint: DEMO.owen, openBrowser: browser.open })
      .catch((caught: unknown) => caught);
    expect(String(failure)).toContain('has no Entra object id');
    expect(pageText(browser.visits[0]?.html ?? '')).toContain('Who may sign in');
  });

  it('prompt=none with nobody signed in: login_required at the redirect, as msal ServerError', async () => {
    const emulator = nobodySignedIn();
    const failure = await publicApp(emulator)
      .acquireTokenInteractive({ scopes: scopesFor(emulator), prompt: 'none', openBrowser: simulatedBrowser().open })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ errorCode: 'login_required' });
    expect((failure as ServerError).errorMessage).toContain('AADSTS50058');
    expect((await authorityLog(emulator)).entries.at(-1)).toMatchObject({ endpoint: 'authorize', status: 200, error: 'login_required' });
  });

  it('an unknown client: an error page (AADSTS700016), nothing posted to the loopback', async () => {
    const emulator = approving();
    const browser = simulatedBrowser();
    const failure = await publicApp(emulator, '00000000-0000-0000-0000-0000000000aa')
      .acquireTokenInteractive({ scopes: scopesFor(emulator), openBrowser: browser.open })
      .catch((caught: unknown) => caught);
    expect(browser.visits[0]?.status).toBe(400);
    expect(browser.visits[0]?.posted).toBeUndefined();
    expect(String(failure)).toContain('AADSTS700016');
    expect((await authorityLog(emulator)).entries.at(-1)).toMatchObject({ endpoint: 'authorize', status: 400, error: 'unauthorized_client' });
  });

  it('a browser that drops the PKCE challenge: invalid_request at the redirect, as msal ServerError', async () => {
    const emulator = approving();
    const withoutPkce = simulatedBrowser((url) => {
      url.searchParams.delete('code_challenge');
      url.searchParams.delete('code_challenge_method');
      return url;
    });
    const failure = await publicApp(emulator)
      .acquireTokenInteractive({ scopes: scopesFor(emulator), openBrowser: withoutPkce.open })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ errorCode: 'invalid_request' });
    expect((failure as ServerError).errorMessage).toContain("AADSTS900144: The request body must contain the following parameter: 'code_challenge'.");
    expect(withoutPkce.visits[0]?.form?.fields).toMatchObject({ error: 'invalid_request', error_uri: 'https://login.microsoftonline.com/error?code=900144' });
  });

  it('a code redeemed with the wrong verifier: invalid_grant (AADSTS501481) through acquireTokenByCode', async () => {
    const emulator = approving();
    const { code, redirectUri } = await authorizeByHand(emulator);
    const failure = await publicApp(emulator)
      .acquireTokenByCode({ code, redirectUri, scopes: scopesFor(emulator), codeVerifier: 'not-the-verifier-not-the-verifier-not-the-verifier' })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ errorCode: 'invalid_grant' });
    expect((failure as ServerError).errorMessage).toContain('AADSTS501481');
    expect((await authorityLog(emulator)).entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'authorization_code', status: 400, error: 'invalid_grant' });
  });
});

/** A PKCE pair as a client makes it. */
function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorize request sent by hand (no msal), answered at a loopback URI nothing listens on: the code is read from the page. */
async function authorizeByHand(
  emulator: RunningEmulator,
  extra: Record<string, string> = {},
): Promise<{ code: string; redirectUri: string; verifier: string; fields: Record<string, string>; status: number; location: string | null; html: string }> {
  const { verifier, challenge } = pkce();
  const redirectUri = 'http://localhost:1';
  const url = new URL(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/authorize`);
  const params = {
    client_id: PUBLIC_CLIENT,
    response_type: 'code',
    redirect_uri: redirectUri,
    response_mode: 'form_post',
    scope: `${emulator.url}/user_impersonation openid profile offline_access`,
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== '') url.searchParams.set(name, value);
  const response = await fetch(url, { redirect: 'manual' });
  const html = await response.text();
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)" \/>/g)) fields[input[1] ?? ''] = input[2] ?? '';
  return { code: fields.code ?? '', redirectUri: params.redirect_uri, verifier, fields, status: response.status, location: response.headers.get('location'), html };
}

function redeem(emulator: RunningEmulator, code: string, redirectUri: string, verifier: string, extra: Record<string, string> = {}) {
  return postForm(tokenEndpoint(emulator), {
    grant_type: 'authorization_code',
    client_id: PUBLIC_CLIENT,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    scope: `${emulator.url}/user_impersonation openid profile offline_access`,
    client_info: '1',
    ...extra,
  });
}

describe('authorize endpoint, by hand', () => {
  it.each([
    ['https://app.example/callback'],
    ['http://192.168.1.5:8400'],
    ['http://localhost.example.com:8400'],
    ['not a url'],
  ])('refuses the non-loopback redirect %s with an error page (AADSTS50011), sending nothing there', async (redirectUri) => {
    const { status, html, fields } = await authorizeByHand(approving(), { redirect_uri: redirectUri });
    expect(status).toBe(400);
    expect(fields).toEqual({});
    expect(pageText(html)).toContain(`AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match`);
  });

  it('accepts http://127.0.0.1:<port> as well', async () => {
    const { status, fields } = await authorizeByHand(approving(), { redirect_uri: 'http://127.0.0.1:5000' });
    expect(status).toBe(200);
    expect(fields.code).toMatch(/^0\.emu\.code\./);
  });

  it('response_mode=query and fragment: a 302 to the redirect URI with the code and state', async () => {
    const query = await authorizeByHand(approving(), { response_mode: 'query' });
    const queried = new URL(query.location ?? '');
    expect(query.status).toBe(302);
    expect(queried.searchParams.get('state')).toBe('state-1');
    expect((await redeem(approving(), queried.searchParams.get('code') ?? '', query.redirectUri, query.verifier)).status).toBe(200);
    const fragment = await authorizeByHand(approving(), { response_mode: 'fragment' });
    expect(new URLSearchParams(new URL(fragment.location ?? '').hash.slice(1)).get('code')).toMatch(/^0\.emu\.code\./);
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type', 700054],
    [{ response_type: '' }, 'invalid_request', 900144],
    [{ scope: '' }, 'invalid_request', 900144],
    [{ code_challenge: '' }, 'invalid_request', 900144],
    [{ code_challenge_method: 'S512' }, 'invalid_request', 50149],
  ])('%o: an error posted to the redirect URI with the state', async (extra, error, code) => {
    const { status, fields } = await authorizeByHand(approving(), extra);
    expect(status).toBe(200);
    expect(fields).toMatchObject({ error, state: 'state-1', error_uri: `https://login.microsoftonline.com/error?code=${code}` });
    expect(fields.error_description).toContain(`AADSTS${code}:`);
    expect(fields).not.toHaveProperty('code');
  });

  it('code_challenge_method=plain: the verifier is the challenge itself', async () => {
    const { code, redirectUri } = await authorizeByHand(approving(), { code_challenge: 'plain-verifier-plain-verifier-plain-verifier-1234', code_challenge_method: 'plain' });
    expect((await redeem(approving(), code, redirectUri, 'plain-verifier-plain-verifier-plain-verifier-1234')).status).toBe(200);
  });

  it('opened with no sign-in request (where the Web API challenge points): the page about the authority', async () => {
    const response = await fetch(`${approving().url}/${approving().tenantId}/oauth2/authorize`);
    expect(response.status).toBe(200);
    expect(pageText(await response.text())).toContain('response_type=code');
  });
});

describe('token endpoint, grant_type=authorization_code', () => {
  it('issues access, refresh and ID tokens and client_info, as the device code grant does', async () => {
    const emulator = approving();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    const { status, json } = await redeem(emulator, code, redirectUri, verifier);
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['access_token', 'client_info', 'expires_in', 'ext_expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    const sam = user(emulator, DEMO.sam);
    expect(JSON.parse(Buffer.from(String(json.client_info), 'base64url').toString())).toEqual({ uid: sam.azureactivedirectoryobjectid, utid: emulator.tenantId });
  });

  it('a code gives its tokens once: the second redemption is invalid_grant AADSTS54005', async () => {
    const emulator = approving();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    expect((await redeem(emulator, code, redirectUri, verifier)).status).toBe(200);
    const again = await redeem(emulator, code, redirectUri, verifier);
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [54005] } });
  });

  it('a wrong verifier spends the code: the right one afterwards is refused too', async () => {
    const emulator = approving();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    expect(await redeem(emulator, code, redirectUri, `${verifier}x`)).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [501481] } });
    expect(await redeem(emulator, code, redirectUri, verifier)).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [54005] } });
  });

  it('a redirect URI other than the authorized one: invalid_grant AADSTS500112', async () => {
    const emulator = approving();
    const { code, verifier } = await authorizeByHand(emulator);
    const { json } = await redeem(emulator, code, 'http://localhost:2', verifier);
    expect(json).toMatchObject({ error: 'invalid_grant', error_codes: [500112] });
    expect(String(json.error_description)).toContain("The reply address 'http://localhost:2' does not match the reply address 'http://localhost:1'");
  });

  it('an expired code: invalid_grant AADSTS70008', async () => {
    const emulator = shortCodes();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    await shortCodesClock.advance(1100);
    expect(await redeem(emulator, code, redirectUri, verifier)).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [70008] } });
  });

  it("another client's code, or an unknown one: invalid_grant AADSTS70000", async () => {
    const emulator = approving();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    const otherClient = emulator.core.applications[0]?.clientId ?? '';
    expect(await redeem(emulator, code, redirectUri, verifier, { client_id: otherClient })).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [70000] } });
    expect(await redeem(emulator, 'no-such-code', redirectUri, verifier)).toMatchObject({ status: 400, json: { error: 'invalid_grant', error_codes: [70000] } });
  });

  it('without code_verifier: invalid_request AADSTS900144, and the code is not spent', async () => {
    const emulator = approving();
    const { code, redirectUri, verifier } = await authorizeByHand(emulator);
    expect(await redeem(emulator, code, redirectUri, '')).toMatchObject({ status: 400, json: { error: 'invalid_request', error_codes: [900144] } });
    expect((await redeem(emulator, code, redirectUri, verifier)).status).toBe(200);
  });
});
