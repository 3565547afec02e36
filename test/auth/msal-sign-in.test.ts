import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../src/auth/create-token-provider.js';
import { login, logout } from '../../src/auth/login.js';
import type { TokenProviderOptions } from '../../src/auth/provider-options.js';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../../src/emulator/seed/demo-certificate.js';
import { CliError } from '../../src/errors.js';
import { ExitCode } from '../../src/exit-codes.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import type { Profile } from '../../src/profiles/types.js';
import { bufferIO, profileFor } from '../dataverse/support.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { until } from '../helpers/until.js';

const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dvas-auth-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const cacheFile = () => join(directory, 'config', 'token-cache.json');
const tokenRequests = () => emulator().authority.log.tokenRequests;

function options(env: Record<string, string> = {}, overrides: Partial<TokenProviderOptions> = {}) {
  const io = bufferIO();
  return { io, options: { env, io, dispatcher, cacheFile: cacheFile(), ...overrides } satisfies TokenProviderOptions };
}

function appProfile(overrides: Partial<Profile> = {}): Profile {
  return profileFor(emulator().url, { auth: 'client-secret', clientId: DEMO_APP.clientId, tenantId: emulator().tenantId, ...overrides });
}

/** Whom the token signs in as, according to the Web API. */
async function whoAmI(tokenProvider: TokenProvider, profile: Profile): Promise<string> {
  const client = createDataverseClient({ profile, env: {}, io: bufferIO(), dispatcher, tokenProvider });
  return (await client.whoAmI()).UserId;
}

describe('client secret (msal-node against the emulator authority)', () => {
  it('signs in as the application user, then a new provider finds the token in the cache file: no token request', async () => {
    const env = { DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
    const before = tokenRequests();
    const first = createTokenProvider(appProfile(), options(env).options);
    expect(await whoAmI(first, appProfile())).toBe(user(emulator(), DEMO.app).systemuserid);
    expect(tokenRequests()).toBe(before + 1);

    const second = createTokenProvider(appProfile(), options(env).options);
    const again = await second.getToken();
    expect(tokenRequests()).toBe(before + 1);
    expect(again.expiresOn.getTime()).toBeGreaterThan(Date.now());
  });

  it('keeps the cache file 0600 in a 0700 directory, without the client secret', async () => {
    await createTokenProvider(appProfile(), options({ AZURE_CLIENT_SECRET: DEMO_APP.clientSecret }).options).getToken();
    expect((await stat(cacheFile())).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'config'))).mode & 0o777).toBe(0o700);
    const contents = await readFile(cacheFile(), 'utf8');
    expect(Object.keys(JSON.parse(contents))).toContain('AccessToken');
    expect(contents).not.toContain(DEMO_APP.clientSecret);
  });

  it('forceRefresh skips the cache and asks the authority again', async () => {
    const provider = createTokenProvider(appProfile(), options({ DVAS_CLIENT_SECRET: DEMO_APP.clientSecret }).options);
    const first = await provider.getToken();
    const before = tokenRequests();
    const refreshed = await provider.getToken({ forceRefresh: true });
    expect(tokenRequests()).toBe(before + 1);
    expect(refreshed.token).not.toBe(first.token);
  });

  it('starts from an empty cache when the file is corrupted, and rewrites it', async () => {
    await mkdir(join(directory, 'config'), { recursive: true });
    await writeFile(cacheFile(), '{ not json', { mode: 0o600 });
    await createTokenProvider(appProfile(), options({ DVAS_CLIENT_SECRET: DEMO_APP.clientSecret }).options).getToken();
    expect(JSON.parse(await readFile(cacheFile(), 'utf8'))).toHaveProperty('AccessToken');
  });

  it('learns the tenant from the environment bearer challenge when the profile has none', async () => {
    const profile = appProfile({ tenantId: undefined });
    const provider = createTokenProvider(profile, options({ DVAS_CLIENT_SECRET: DEMO_APP.clientSecret }).options);
    expect(await whoAmI(provider, profile)).toBe(user(emulator(), DEMO.app).systemuserid);
  });

  it('a wrong secret is exit 4 with the authority first line and a hint, never the secret', async () => {
    const wrong = 'definitely-wrong-secret';
    const error = await createTokenProvider(appProfile(), options({ DVAS_CLIENT_SECRET: wrong }).options)
      .getToken()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    const cliError = error as CliError;
    expect(cliError.exitCode).toBe(ExitCode.Auth);
    expect(cliError.code).toBe('invalid_client');
    expect(cliError.message).toMatch(/^Sign-in at 127\.0\.0\.1:\d+ failed \(HTTP 401\): AADSTS7000215: Invalid client secret provided/);
    expect(cliError.message).not.toMatch(/Trace ID/);
    expect(cliError.hint).toMatch(/secret or certificate/);
    expect(JSON.stringify({ message: cliError.message, hint: cliError.hint })).not.toContain(wrong);
  });

  it('--verbose logs the token request (method, URL, status), never the secret or the token', async () => {
    const io = bufferIO();
    const client = createDataverseClient({
      profile: appProfile(),
      env: { DVAS_CLIENT_SECRET: DEMO_APP.clientSecret },
      io,
      dispatcher,
      cacheFile: cacheFile(),
      verbose: true,
    });
    await client.whoAmI();
    expect(io.stderrText()).toMatch(/^> POST http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/oauth2\/v2\.0\/token\?client-request-id=[\w-]{36}\n< 200 \(\d+ ms\)$/m);
    const cache = await readFile(cacheFile(), 'utf8');
    const token = Object.values<{ secret: string }>(JSON.parse(cache).AccessToken)[0]?.secret ?? 'missing';
    expect(io.stderrText()).not.toContain(token);
    expect(io.stderrText()).not.toContain(DEMO_APP.clientSecret);
  });

  it('without a secret and without a terminal: exit 3, naming the variables', async () => {
    await expect(createTokenProvider(appProfile(), options({}).options).getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Config,
      hint: expect.stringContaining('DVAS_CLIENT_SECRET'),
    });
  });

  it('at a terminal, asks for the secret on stderr without echoing it', async () => {
    const io = bufferIO(true);
    const provider = createTokenProvider(appProfile(), { env: {}, io, dispatcher, cacheFile: cacheFile() });
    const token = provider.getToken();
    // Type once the prompt is on the terminal, as a person would.
    await until(() => io.stderrText().includes('Client secret'), 'the prompt');
    io.type(`${DEMO_APP.clientSecret}\r`);
    expect((await token).token).toMatch(/^ey/);
    expect(io.stderrText()).toMatch(/^Client secret for profile 'test' \(not shown, not saved\): \n$/);
    expect(io.stdoutText()).toBe('');
  });

  it('an authority that cannot be reached is one sentence naming the host, exit 1', async () => {
    const profile = appProfile({ authority: 'http://127.0.0.1:9/some-tenant' });
    const error = await createTokenProvider(profile, options({ DVAS_CLIENT_SECRET: 'x' }).options)
      .getToken()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ exitCode: ExitCode.Failure, message: 'Cannot connect to 127.0.0.1:9: the connection was refused.' });
  });
});

describe('certificate', () => {
  it('signs in with PEM certificate and key files (PS256, x5t#S256)', async () => {
    const certificatePath = join(directory, 'cert.pem');
    const keyPath = join(directory, 'key.pem');
    await writeFile(certificatePath, DEMO_CERTIFICATE_PEM);
    await writeFile(keyPath, DEMO_PRIVATE_KEY_PEM);
    const profile = appProfile({ auth: 'certificate', certificatePath, keyPath });
    const provider = createTokenProvider(profile, options().options);
    expect(await whoAmI(provider, profile)).toBe(user(emulator(), DEMO.app).systemuserid);
    const last = emulator().authority.log.entries.at(-1);
    expect(last).toMatchObject({ endpoint: 'token', grantType: 'client_credentials', status: 200 });
  });

  it('accepts one PEM file holding both the certificate and the key', async () => {
    const combined = join(directory, 'app.pem');
    await writeFile(combined, `${DEMO_PRIVATE_KEY_PEM}\n${DEMO_CERTIFICATE_PEM}`);
    const profile = appProfile({ auth: 'certificate', certificatePath: combined });
    expect((await createTokenProvider(profile, options().options).getToken()).token).toMatch(/^ey/);
  });

  it('a missing key file is exit 3 naming the file', async () => {
    const certificatePath = join(directory, 'cert.pem');
    await writeFile(certificatePath, DEMO_CERTIFICATE_PEM);
    const keyPath = join(directory, 'missing-key.pem');
    const profile = appProfile({ auth: 'certificate', certificatePath, keyPath });
    await expect(createTokenProvider(profile, options().options).getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Config,
      message: `Cannot read the key file ${keyPath} (ENOENT).`,
    });
  });
});

describe('workload identity', () => {
  it('reads the federated token file as the client assertion', async () => {
    const tokenFile = join(directory, 'federated-token');
    await writeFile(tokenFile, await emulator().authority.mintFederatedToken('repo:contoso/dvas-demo:ref:refs/heads/main'));
    const profile = appProfile({ auth: 'workload-identity', clientId: undefined });
    const provider = createTokenProvider(profile, options({ AZURE_FEDERATED_TOKEN_FILE: tokenFile, AZURE_CLIENT_ID: DEMO_APP.clientId }).options);
    expect(await whoAmI(provider, profile)).toBe(user(emulator(), DEMO.app).systemuserid);
  });

  it('without AZURE_FEDERATED_TOKEN_FILE: exit 3', async () => {
    await expect(createTokenProvider(appProfile({ auth: 'workload-identity' }), options().options).getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Config,
    });
  });
});

describe('device code', () => {
  const deviceProfile = (overrides: Partial<Profile> = {}) =>
    profileFor(emulator().url, { auth: 'device-code', tenantId: emulator().tenantId, ...overrides });

  it('login shows the code on stderr and names the account; later runs sign in silently from the cache', async () => {
    const { io, options: loginOptions } = options();
    const account = await login(deviceProfile(), loginOptions);
    expect(io.stderrText()).toMatch(/enter the code \S+/i);
    expect(io.stdoutText()).toBe('');
    const admin = user(emulator(), DEMO.admin);
    expect(account).toEqual({ homeAccountId: `${admin.azureactivedirectoryobjectid}.${emulator().tenantId}`, username: expect.any(String) });

    const profile = deviceProfile({ homeAccountId: account.homeAccountId });
    const before = tokenRequests();
    const provider = createTokenProvider(profile, options({}, { allowInteraction: false }).options);
    expect(await whoAmI(provider, profile)).toBe(admin.systemuserid);
    expect(tokenRequests()).toBe(before);

    // A forced refresh uses the refresh token: no new device code.
    await provider.getToken({ forceRefresh: true });
    expect(emulator().authority.log.entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'refresh_token', status: 200 });
  });

  it('logout removes the account; then a script gets "not signed in" (exit 4) instead of a prompt', async () => {
    const account = await login(deviceProfile(), options().options);
    const profile = deviceProfile({ homeAccountId: account.homeAccountId });
    expect(await logout(profile, options().options)).toBe(true);
    expect(await logout(profile, options().options)).toBe(false);
    await expect(createTokenProvider(profile, options({}, { allowInteraction: false }).options).getToken()).rejects.toMatchObject({
      exitCode: ExitCode.Auth,
      hint: 'Run dvas login --profile test.',
    });
  });

  it('with nobody signed in and interaction allowed, runs the device code flow itself', async () => {
    const { io, options: providerOptions } = options({}, { allowInteraction: true });
    const provider = createTokenProvider(deviceProfile(), providerOptions);
    expect(await whoAmI(provider, deviceProfile())).toBe(user(emulator(), DEMO.admin).systemuserid);
    expect(io.stderrText()).toMatch(/code/);
  });

  it('login refuses profiles that do not sign in as a person', async () => {
    await expect(login(appProfile(), options().options)).rejects.toMatchObject({ exitCode: ExitCode.Usage });
  });
});
