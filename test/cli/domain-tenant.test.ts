import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { firstLine, useDvasProcesses, whoamiOverHttps } from '../helpers/emulator-process.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Issue 12: `--tenant` takes a domain name of the tenant (contoso.onmicrosoft.com) as well as its
 * id, as Entra does. Real sign-ins with msal-node against the emulator's authority, through the CLI.
 */
const emulator = useEmulator({ approveDeviceCodes: DEMO.admin });
const newConfigDir = useTempConfigDir();
const tokenRequests = () => emulator().authority.log.tokenRequests;

function setup() {
  const directory = newConfigDir();
  const env = { DVAS_CONFIG_DIR: directory, NO_COLOR: '1', DVAS_CLIENT_SECRET: DEMO_APP.clientSecret };
  return {
    directory,
    file: join(directory, 'profiles.json'),
    run: (argv: string[]) => runCli(argv, { env, tty: { stdout: false, stderr: false } }),
  };
}

describe('a domain-name tenant', () => {
  it("the emulator's tenant owns <organisation>.onmicrosoft.com and its users' UPN domain", () => {
    expect(emulator().tenantDomains).toEqual(['contoso.onmicrosoft.com', 'contoso.com']);
  });

  it.each(['contoso.onmicrosoft.com', 'Contoso.com'])('client secret: a profile with --tenant %s signs in for real and runs whoami, then uses the cached token', async (domain) => {
    const { run } = setup();
    const add = await run(['profile', 'add', 'app', '--url', emulator().url, '--auth', 'client-secret', '--client-id', DEMO_APP.clientId, '--tenant', domain]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.json()).toMatchObject({ tenantId: domain.toLowerCase() });

    const before = tokenRequests();
    const whoami = await run(['whoami', '-o', 'json']);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.json()).toMatchObject({ UserId: user(emulator(), DEMO.app).systemuserid });
    expect(tokenRequests()).toBe(before + 1);
    const grant = emulator().authority.log.entries.at(-1);
    expect(grant).toMatchObject({ endpoint: 'token', grantType: 'client_credentials', status: 200 });

    // The token cache files the app's token under the tenant as written: the next run finds it.
    expect((await run(['whoami', '-o', 'json'])).code).toBe(0);
    expect(tokenRequests()).toBe(before + 1);
  });

  it('device code: `dvas login` with a domain tenant, then whoami signs in silently from the cache', async () => {
    const { run } = setup();
    expect((await run(['profile', 'add', 'me', '--url', emulator().url, '--tenant', 'contoso.onmicrosoft.com'])).code).toBe(0);
    const login = await run(['login', '-o', 'json']);
    expect(login.code, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ signedIn: true, username: DEMO.admin, homeAccountId: expect.stringContaining(`.${emulator().tenantId}`) });
    const before = tokenRequests();
    const whoami = await run(['whoami', '-o', 'json']);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.json()).toMatchObject({ UserId: user(emulator(), DEMO.admin).systemuserid });
    expect(tokenRequests()).toBe(before);
  });

  it('`profile set --tenant <domain>` on a working profile keeps it working', async () => {
    const { run } = setup();
    expect((await run(['profile', 'add', 'app', '--url', emulator().url, '--auth', 'client-secret', '--client-id', DEMO_APP.clientId, '--tenant', emulator().tenantId])).code).toBe(0);
    const set = await run(['profile', 'set', 'app', '--tenant', 'contoso.com']);
    expect(set.code, set.stderr).toBe(0);
    const whoami = await run(['whoami', '-o', 'json']);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.json()).toMatchObject({ UserId: user(emulator(), DEMO.app).systemuserid });
  });

  it("a domain the tenant does not own: exit 4 with Entra's AADSTS90002 and a hint at the tenant", async () => {
    const { run } = setup();
    expect((await run(['profile', 'add', 'app', '--url', emulator().url, '--auth', 'client-secret', '--client-id', DEMO_APP.clientId, '--tenant', 'fabrikam.onmicrosoft.com'])).code).toBe(0);
    const whoami = await run(['whoami']);
    expect(whoami.code).toBe(ExitCode.Auth);
    expect(whoami.stdout).toBe('');
    expect(whoami.stderr).toMatch(/^error: Sign-in at 127\.0\.0\.1:\d+ failed \(HTTP 400\): AADSTS90002: Tenant 'fabrikam\.onmicrosoft\.com' not found\. /m);
    expect(whoami.stderr).toMatch(/^hint: Check the tenant of the profile \(dvas profile show\): its id, or a domain name the tenant owns/m);
  });

  it.each([
    ['a URL', 'https://login.microsoftonline.com/contoso.onmicrosoft.com', /^error: --tenant must be a tenant id or domain name such as contoso\.onmicrosoft\.com, not a URL or path \("https:\/\/login\.microsoftonline\.com\/contoso\.onmicrosoft\.com"\); an authority URL goes in --authority\.$/m],
    ['a path', 'contoso.onmicrosoft.com/v2.0', /^error: --tenant must be a tenant id or domain name such as contoso\.onmicrosoft\.com, not a URL or path/m],
    ['a name without a dot', 'contoso', /^error: --tenant must be a tenant id \(a GUID such as 00000000-0000-0000-0000-000000000000\) or a domain name of the tenant \(such as contoso\.onmicrosoft\.com\), not "contoso"\.$/m],
    ['a space', 'contoso .com', /^error: --tenant must be a tenant id \(a GUID/m],
    ['a control character', 'contoso\u0007.com', /^error: --tenant must be a tenant id \(a GUID.*not "contoso\\u0007\.com"\.$/m],
    ['an IP address', '10.0.0.1', /^error: --tenant must be a tenant id \(a GUID/m],
    ['an empty label', 'contoso..com', /^error: --tenant must be a tenant id \(a GUID/m],
    ['the alias common', 'common', /^error: --tenant must name one tenant, by its id or a domain name such as contoso\.onmicrosoft\.com, not the multi-tenant alias "common"\.$/m],
    ['the alias organizations', 'Organizations', /not the multi-tenant alias "Organizations"\.$/m],
  ])('an invalid tenant (%s) exits 2 and writes nothing, for add and for set', async (_, tenant, message) => {
    const { run, directory, file } = setup();
    const add = await run(['profile', 'add', 'app', '--url', emulator().url, '--auth', 'client-secret', '--client-id', DEMO_APP.clientId, '--tenant', tenant]);
    expect(add.code).toBe(ExitCode.Usage);
    expect(add.stderr).toMatch(message);
    expect(add.stdout).toBe('');
    expect(existsSync(directory)).toBe(false);

    expect((await run(['profile', 'add', 'app', '--url', emulator().url])).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    const set = await run(['profile', 'set', 'app', '--tenant', tenant]);
    expect(set.code).toBe(ExitCode.Usage);
    expect(set.stderr).toMatch(message);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('AZURE_TENANT_ID takes a domain name too (a profile from the environment)', async () => {
    const env = { DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1', DVAS_URL: emulator().url, AZURE_CLIENT_ID: DEMO_APP.clientId, AZURE_CLIENT_SECRET: DEMO_APP.clientSecret, AZURE_TENANT_ID: 'contoso.onmicrosoft.com' };
    const whoami = await runCli(['whoami', '-o', 'json'], { env, tty: { stdout: false, stderr: false } });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.json()).toMatchObject({ UserId: user(emulator(), DEMO.app).systemuserid });
    const bad = await runCli(['whoami'], { env: { ...env, AZURE_TENANT_ID: 'not a tenant' }, tty: { stdout: false, stderr: false } });
    expect(bad.code).toBe(ExitCode.Config);
    expect(bad.stderr).toMatch(/^error: AZURE_TENANT_ID must be a tenant id \(a GUID/m);
  });
});

describe('a domain-name tenant over https (msal reads the OpenID metadata itself)', () => {
  const spawnDvas = useDvasProcesses();

  it('signs in with the authority https://<emulator>/contoso.onmicrosoft.com, whose metadata names the tenant id', async () => {
    const started = spawnDvas(['emulator', '--https', '--json']);
    const info = JSON.parse(await firstLine(started)) as { url: string; clientId: string; clientSecret: string; caPath: string };
    const whoami = whoamiOverHttps(info, { tenant: 'contoso.onmicrosoft.com', authority: `${info.url}/contoso.onmicrosoft.com` });
    expect(whoami.status, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toEqual(expect.objectContaining({ UserId: expect.stringMatching(/^[0-9a-f-]{36}$/) }));
    started.child.kill('SIGTERM');
    await started.exited;
  });
});
