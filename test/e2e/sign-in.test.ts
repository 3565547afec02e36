import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO_CERTIFICATE_PEM, DEMO_PRIVATE_KEY_PEM } from '../../src/emulator/seed/demo-certificate.js';
import { ExitCode } from '../../src/exit-codes.js';
import { ensureBuilt } from '../helpers/build.js';
import { useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { spawnDvas } from '../helpers/spawn-dvas.js';

/**
 * The main paths as people and CI run them: the real `node bin/dvas.js` in a child process,
 * signing in through msal-node against the emulator's authority with each kind of credential,
 * configured by DVAS_URL and AZURE_* variables or by a saved profile, in a temp config directory.
 */
const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
const newConfigDir = useTempConfigDir();

beforeAll(() => ensureBuilt(), 180_000);

interface AuthorityLog {
  tokenRequests: number;
  entries: Array<{ endpoint: string; grantType?: string; clientId?: string; status: number }>;
}

/** The authority's request log, over HTTP as any client would read it. */
async function authorityLog(): Promise<AuthorityLog> {
  const response = await fetch(`${emulator().url}/_emulator/authority/log`);
  return (await response.json()) as AuthorityLog;
}

/** A file next to the config directory (which dvas itself creates). */
function writeBeside(configDir: string, name: string, text: string): string {
  mkdirSync(dirname(configDir), { recursive: true });
  const path = join(dirname(configDir), name);
  writeFileSync(path, text);
  return path;
}

const app = () => user(emulator(), DEMO_APP.email);
const sam = () => user(emulator(), DEMO.sam);

/** whoami, whoami --as and create --as, the same for every kind of sign-in. */
async function expectMainPaths(env: Record<string, string>, signedIn: () => { systemuserid: string; fullname: string }): Promise<void> {
  const whoami = await spawnDvas(['whoami', '-o', 'json'], env);
  expect(whoami.code, whoami.stderr).toBe(0);
  expect(whoami.json()).toMatchObject({ UserId: signedIn().systemuserid, fullname: signedIn().fullname, caller: null });

  const asSam = await spawnDvas(['whoami', '-o', 'json', '--as', DEMO.sam], env);
  expect(asSam.code, asSam.stderr).toBe(0);
  expect(asSam.json()).toMatchObject({ UserId: sam().systemuserid, caller: { UserId: signedIn().systemuserid } });

  const create = await spawnDvas(['create', 'accounts', '-o', 'json', '--as', DEMO.sam, '--data', '{"name":"Created by a spawned dvas"}'], env);
  expect(create.code, create.stderr).toBe(0);
  const created = create.json() as { id: string };
  expect(created).toMatchObject({ createdby: sam().systemuserid, createdonbehalfby: signedIn().systemuserid });
  expect(emulator().core.store.rows('account').get(created.id)).toMatchObject({ name: 'Created by a spawned dvas' });
}

describe('client secret: DVAS_URL and AZURE_* variables, tenant from the bearer challenge', () => {
  const envFor = (configDir: string) => ({
    DVAS_CONFIG_DIR: configDir,
    DVAS_URL: emulator().url,
    AZURE_CLIENT_ID: DEMO_APP.clientId,
    AZURE_CLIENT_SECRET: DEMO_APP.clientSecret,
  });

  it('whoami, whoami --as, create --as', async () => {
    await expectMainPaths(envFor(newConfigDir()), () => ({ systemuserid: app().systemuserid, fullname: 'dvas demo app' }));
  });

  it('a second dvas whoami makes no token request (the authority log says so)', async () => {
    const configDir = newConfigDir();
    const before = (await authorityLog()).tokenRequests;
    const first = await spawnDvas(['whoami', '-o', 'json'], envFor(configDir));
    expect(first.code, first.stderr).toBe(0);
    const afterFirst = await authorityLog();
    expect(afterFirst.tokenRequests).toBe(before + 1);
    expect(afterFirst.entries.at(-1)).toMatchObject({ endpoint: 'token', grantType: 'client_credentials', clientId: DEMO_APP.clientId, status: 200 });

    const second = await spawnDvas(['whoami', '-o', 'json'], envFor(configDir));
    expect(second.code, second.stderr).toBe(0);
    expect(second.json()).toEqual(first.json());
    expect((await authorityLog()).tokenRequests).toBe(afterFirst.tokenRequests);
    expect(statSync(join(configDir, 'token-cache.json')).mode & 0o777).toBe(0o600);
  });

  it('never prints the secret, and reads a row from stdin', async () => {
    const env = envFor(newConfigDir());
    const run = await spawnDvas(['create', 'accounts', '-o', 'json', '--verbose', '-'], env, { stdin: '{"name":"From a pipe"}' });
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(DEMO_APP.clientSecret);
    expect(run.stderr).toContain('Authorization: REDACTED');
  });

  it.each([
    ['an --as nobody answers to', ['whoami', '--as', 'nobody@contoso.com'], ExitCode.NotFound, /^error: No Dataverse user has the email address or domain name "nobody@contoso\.com"\./],
    ['a row that is not JSON', ['create', 'accounts', '--data', '{'], ExitCode.Usage, /^error: The row in --data is not valid JSON/],
    ['a disabled --as', ['whoami', '--as', DEMO.dana], ExitCode.PrivilegeDenied, /^error: Dana Disabled \(dana\.disabled@contoso\.com\) is disabled/],
    [
      'a privilege failure under --as, diagnosed',
      ['create', 'teams', '--as', DEMO.admin, '--data', '{"name":"x"}'],
      ExitCode.PrivilegeDenied,
      /^error: Principal user .* is missing prvCreateTeam privilege .*\[0x80040220\]\ndiagnosis: The signed-in identity \(dvas demo app\) lacks prvCreateTeam, not Alex Admin \(admin@contoso\.com\), whom Dataverse's message names;/,
    ],
  ])('the real exit code for %s', async (_, args, code, message) => {
    const run = await spawnDvas(args, envFor(newConfigDir()));
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('certificate', () => {
  it('AZURE_CLIENT_CERTIFICATE_PATH (one PEM with key and certificate) and AZURE_TENANT_ID', async () => {
    const configDir = newConfigDir();
    const pem = writeBeside(configDir, 'app.pem', `${DEMO_PRIVATE_KEY_PEM}\n${DEMO_CERTIFICATE_PEM}`);
    const env = { DVAS_CONFIG_DIR: configDir, DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, AZURE_TENANT_ID: emulator().tenantId, AZURE_CLIENT_CERTIFICATE_PATH: pem };
    const before = (await authorityLog()).tokenRequests;
    await expectMainPaths(env, () => ({ systemuserid: app().systemuserid, fullname: 'dvas demo app' }));
    expect((await authorityLog()).tokenRequests).toBe(before + 1);
  });

  it('a saved profile naming the certificate and key files', async () => {
    const configDir = newConfigDir();
    const certificate = writeBeside(configDir, 'cert.pem', DEMO_CERTIFICATE_PEM);
    const key = writeBeside(configDir, 'key.pem', DEMO_PRIVATE_KEY_PEM);
    const env = { DVAS_CONFIG_DIR: configDir };
    const add = await spawnDvas(
      ['profile', 'add', 'emulator', '--url', emulator().url, '--auth', 'certificate', '--client-id', DEMO_APP.clientId, '--certificate', certificate, '--key', key, '--default'],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    await expectMainPaths(env, () => ({ systemuserid: app().systemuserid, fullname: 'dvas demo app' }));
  });
});

describe('workload identity', () => {
  it('AZURE_FEDERATED_TOKEN_FILE holding a token from the emulator as a federated issuer', async () => {
    const configDir = newConfigDir();
    const tokenFile = writeBeside(configDir, 'federated-token', await emulator().authority.mintFederatedToken('repo:contoso/dvas-demo:ref:refs/heads/main'));
    const env = { DVAS_CONFIG_DIR: configDir, DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, AZURE_TENANT_ID: emulator().tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile };
    await expectMainPaths(env, () => ({ systemuserid: app().systemuserid, fullname: 'dvas demo app' }));
    expect((await authorityLog()).entries.filter((entry) => entry.endpoint === 'token').at(-1)).toMatchObject({ grantType: 'client_credentials', status: 200 });
  });
});

// The device code prompt needs someone at a terminal: a pseudo-terminal from util-linux `script`.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('device code (auto-approved as Alex Admin)', () => {
  it('signs in on a terminal, then runs from the token cache without one', async () => {
    const configDir = newConfigDir();
    const env = { DVAS_CONFIG_DIR: configDir };
    expect((await spawnDvas(['profile', 'add', 'admin', '--url', emulator().url, '--auth', 'device-code', '--default'], env)).code).toBe(0);

    const before = (await authorityLog()).entries.length;
    const onTerminal = await spawnDvas(['whoami', '-o', 'json'], env, { terminal: true });
    expect(onTerminal.code, onTerminal.stdout).toBe(0);
    // stdout and stderr share the terminal: the device code prompt, then the JSON.
    expect(onTerminal.stdout).toMatch(/devicelogin/);
    expect(onTerminal.stdout).toContain(`"UserId": "${user(emulator(), DEMO.admin).systemuserid}"`);
    const grants = (await authorityLog()).entries.slice(before).map((entry) => entry.grantType ?? entry.endpoint);
    expect(grants).toContain('devicecode');
    expect(grants).toContain('device_code');

    const tokenRequests = (await authorityLog()).tokenRequests;
    await expectMainPaths(env, () => user(emulator(), DEMO.admin));
    expect((await authorityLog()).tokenRequests).toBe(tokenRequests);
  });
});
