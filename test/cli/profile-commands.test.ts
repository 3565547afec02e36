import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import { ANSI, plain, runCli, useTempConfigDir } from '../helpers/cli.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-0000-4000-8000-000000000001';
const newConfigDir = useTempConfigDir();

/** A config dir and a runner bound to it. */
function setup(extraEnv: Record<string, string> = {}) {
  const directory = newConfigDir();
  const env = { DVAS_CONFIG_DIR: directory, ...extraEnv };
  const file = join(directory, 'profiles.json');
  return {
    directory,
    file,
    run: (argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) =>
      runCli(argv, { env: { ...env, ...options.env }, tty: { stdout: options.tty ?? false, stderr: options.tty ?? false } }),
    saved: () => JSON.parse(readFileSync(file, 'utf8')),
  };
}

describe('dvas profile add', () => {
  it('saves the first profile as the default and prints it (JSON when piped)', async () => {
    const { run, saved } = setup();
    const result = await run(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com']);
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      name: 'dev',
      url: 'https://contoso.crm.dynamics.com',
      auth: 'device-code',
      apiVersion: 'v9.2',
      tenantId: null,
      clientId: PUBLIC_CLIENT_ID,
      authority: null,
      certificatePath: null,
      keyPath: null,
      username: null,
      isDefault: true,
    });
    expect(result.stderr).toMatch(/Saved profile "dev" as the default in .*profiles\.json\./);
    expect(saved()).toEqual({ defaultProfile: 'dev', profiles: { dev: { url: 'https://contoso.crm.dynamics.com', auth: 'device-code', clientId: PUBLIC_CLIENT_ID, apiVersion: 'v9.2' } } });
  });

  it('makes a later profile the default only with --default', async () => {
    const { run, saved } = setup();
    await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com']);
    expect((await run(['profile', 'add', 'test', '--url', 'https://test.crm.dynamics.com'])).json()).toMatchObject({ isDefault: false });
    expect(saved().defaultProfile).toBe('dev');
    await run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com', '--default']);
    expect(saved().defaultProfile).toBe('prod');
  });

  it('saves an application user with a certificate as absolute paths, never the contents', async () => {
    const { run, saved, directory } = setup();
    const certificate = join(dirname(directory), 'app.pem');
    const key = join(dirname(directory), 'app.key');
    writeFileSync(certificate, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n');
    const result = await run(['profile', 'add', 'app', '--url', 'https://contoso.crm.dynamics.com', '--client-id', CLIENT, '--tenant', TENANT, '--certificate', certificate, '--key', key]);
    expect(result.code).toBe(0);
    expect(saved().profiles.app).toEqual({ url: 'https://contoso.crm.dynamics.com', auth: 'certificate', tenantId: TENANT, clientId: CLIENT, certificatePath: certificate, keyPath: key, apiVersion: 'v9.2' });
    expect(readFileSync(join(directory, 'profiles.json'), 'utf8')).not.toContain('SECRETKEYMATERIAL');
  });

  it('reduces a pasted Web API URL to the environment, with a note on stderr', async () => {
    const { run, saved } = setup();
    const result = await run(['profile', 'add', 'dev', '--url', 'https://contoso.crm4.dynamics.com/api/data/v9.1/']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Using the environment URL https://contoso.crm4.dynamics.com, API version v9.1 (dropped "/api/data/v9.1/" from --url).');
    expect(saved().profiles.dev).toMatchObject({ url: 'https://contoso.crm4.dynamics.com', apiVersion: 'v9.1' });
  });

  it.each([
    ['an http URL off loopback', ['--url', 'http://contoso.crm.dynamics.com'], /^error: --url must use https/m],
    ['a bad name', ['--url', 'https://a.example'], /^error: The profile name must be 1 to 64 letters/m, 'my.org'],
    ['an unknown --auth', ['--url', 'https://a.example', '--auth', 'password'], /argument 'password' is invalid\. Allowed choices are client-secret/],
    ['client-secret without a client id', ['--url', 'https://a.example', '--auth', 'client-secret'], /^error: client-secret sign-in needs the application \(client\) id: set --client-id\.$/m],
    ['a tenant that is neither a GUID nor a domain name', ['--url', 'https://a.example', '--tenant', 'contoso'], /^error: --tenant must be a tenant id \(a GUID/m],
    ['a missing certificate', ['--url', 'https://a.example', '--client-id', CLIENT, '--certificate', '/nonexistent/c.pem', '--key', '/nonexistent/k.pem'], /^error: --certificate names a file that does not exist: "\/nonexistent\/c\.pem"\.$/m],
    ['a missing --url', [], /required option '--url <url>' not specified/],
    ['a secret on the command line', ['--url', 'https://a.example', '--client-secret', 's3cr3t'], /unknown option '--client-secret'/],
  ])('exits 2 for %s and writes nothing', async (_, flags, message, name = 'dev') => {
    const { run, directory } = setup();
    const result = await run(['profile', 'add', name, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(directory)).toBe(false);
  });

  it('exits 3 for a name that exists, and leaves the saved one alone', async () => {
    const { run, file } = setup();
    await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com']);
    const before = readFileSync(file, 'utf8');
    const result = await run(['profile', 'add', 'dev', '--url', 'https://other.crm.dynamics.com']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: A profile named "dev" already exists\.\nhint: Remove it first with `dvas profile remove dev`/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('dvas profile list', () => {
  it('prints JSON with the default marked when piped', async () => {
    const { run } = setup();
    await run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com']);
    await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com', '--auth', 'azure-cli']);
    const result = await run(['profile', 'list']);
    expect(result.code).toBe(0);
    expect(result.json()).toEqual([
      expect.objectContaining({ name: 'dev', auth: 'azure-cli', isDefault: false }),
      expect.objectContaining({ name: 'prod', auth: 'device-code', isDefault: true }),
    ]);
  });

  it('prints an aligned table on a terminal', async () => {
    const { run } = setup();
    await run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com']);
    await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com', '--auth', 'azure-cli']);
    const result = await run(['profile', 'list'], { tty: true });
    expect(plain(result.stdout)).toBe(
      ['NAME  URL                            AUTH         DEFAULT', 'dev   https://dev.crm.dynamics.com   azure-cli    false', 'prod  https://prod.crm.dynamics.com  device-code  true', ''].join('\n'),
    );
    expect(result.stdout).toMatch(ANSI);
  });

  it.each([
    ['--no-color', ['--no-color'], {}],
    ['NO_COLOR', [], { NO_COLOR: '1' }],
  ])('has no colour on a terminal with %s', async (_, flags, env) => {
    const { run } = setup();
    await run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com']);
    const result = await run(['profile', 'list', ...flags], { tty: true, env });
    expect(result.stdout).toContain('prod');
    expect(result.stdout).not.toMatch(ANSI);
  });

  it.each([
    ['csv', 'name,url,auth,default\r\nprod,https://prod.crm.dynamics.com,device-code,true\r\n'],
    ['ndjson', `${JSON.stringify({ name: 'prod', url: 'https://prod.crm.dynamics.com', auth: 'device-code', apiVersion: 'v9.2', tenantId: null, clientId: PUBLIC_CLIENT_ID, authority: null, certificatePath: null, keyPath: null, username: null, isDefault: true })}\n`],
    ['table', 'prod\thttps://prod.crm.dynamics.com\tdevice-code\ttrue\n'],
  ])('-o %s', async (format, expected) => {
    const { run } = setup();
    await run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com']);
    expect((await run(['profile', 'list', '-o', format])).stdout).toBe(expected);
  });

  it('prints [] and a hint on stderr when there are none, creating nothing', async () => {
    const { run, directory } = setup();
    const result = await run(['profile', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('[]\n');
    expect(result.stderr).toMatch(/No profiles yet\. Add one with `dvas profile add/);
    expect(existsSync(directory)).toBe(false);
  });

  it('exits 3 naming the file when it is corrupted', async () => {
    const { run, directory, file } = setup();
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, '{"profiles":{"dev":{"url":"https://a.example","auth":"token","apiVersion":"v9.2","clientSecret":"x"}}}');
    const result = await run(['profile', 'list']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: The profiles file ${file} is invalid: profile "dev" has an unknown field "clientSecret".`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('dvas profile show / use / remove', () => {
  async function withTwo() {
    const context = setup();
    await context.run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com']);
    await context.run(['profile', 'add', 'prod', '--url', 'https://prod.crm.dynamics.com', '--auth', 'client-secret', '--client-id', CLIENT]);
    return context;
  }

  it('show <name> prints that profile', async () => {
    const { run } = await withTwo();
    expect((await run(['profile', 'show', 'prod'])).json()).toMatchObject({ name: 'prod', auth: 'client-secret', clientId: CLIENT, isDefault: false, source: 'argument' });
  });

  it.each([
    ['the default', [], {}, 'dev', 'default'],
    ['-p before the command', ['-p', 'prod'], {}, 'prod', '--profile'],
    ['--profile after the command', ['--profile', 'prod'], {}, 'prod', '--profile'],
    ['DVAS_PROFILE', [], { DVAS_PROFILE: 'prod' }, 'prod', 'DVAS_PROFILE'],
  ])('show without a name reports the profile in use and why: %s', async (_, flags, env, name, source) => {
    const { run } = await withTwo();
    const argv = flags[0] === '-p' ? [...flags, 'profile', 'show'] : ['profile', 'show', ...flags];
    const result = await run(argv, { env });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ name, source });
  });

  it('show reports a profile made from variables without touching the profiles file', async () => {
    const { run, directory, file } = setup();
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, 'corrupted: reading it would fail');
    const result = await run(['profile', 'show'], { env: { DVAS_URL: 'https://ci.crm.dynamics.com', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 'hunter2' } });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ name: 'environment', url: 'https://ci.crm.dynamics.com', auth: 'client-secret', clientId: CLIENT, isDefault: false, source: 'environment' });
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('show on a terminal is label/value lines', async () => {
    const { run } = await withTwo();
    const text = plain((await run(['profile', 'show', 'dev'], { tty: true })).stdout);
    expect(text).toMatch(/^name {13}dev\nurl {14}https:\/\/dev\.crm\.dynamics\.com\nauth {13}device-code\n/);
    expect(text).toMatch(/\nsource {11}argument\n$/);
  });

  it.each([
    ['show', ['profile', 'show', 'prdo']],
    ['use', ['profile', 'use', 'prdo']],
    ['remove', ['profile', 'remove', 'prdo']],
    ['-p', ['-p', 'prdo', 'profile', 'show']],
    ['--profile after the command', ['whoami', '--profile', 'prdo']],
  ])('%s of an unknown profile exits 3 listing the known ones and suggesting the close one', async (_, argv) => {
    const { run } = await withTwo();
    const result = await run(argv);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: There is no profile named "prdo"( \(from --profile\))?; the known profiles are dev, prod\. Did you mean "prod"\?$/m);
  });

  it.each([
    ['a name close to none', ['profile', 'use', 'staging'], /; the known profiles are dev, prod\.$/m],
    ['a prefix of one', ['-p', 'pro', 'whoami'], /; the known profiles are dev, prod\. Did you mean "prod"\?$/m],
    ['one letter off', ['profile', 'show', 'dee'], /; the known profiles are dev, prod\. Did you mean "dev"\?$/m],
  ])('%s: a suggestion only when one is close', async (_, argv, message) => {
    const { run } = await withTwo();
    const result = await run(argv);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
  });

  it('a typed name with control characters is shown escaped', async () => {
    const { run } = await withTwo();
    const result = await run(['profile', 'show', 'pr\u001b[2Jod']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('There is no profile named "pr\\u001b[2Jod"');
    expect(result.stderr).not.toContain('\u001b');
  });

  it('use makes a profile the default', async () => {
    const { run, saved } = await withTwo();
    const result = await run(['profile', 'use', 'prod']);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ name: 'prod', isDefault: true });
    expect(result.stderr).toContain('Profile "prod" is now the default.');
    expect(saved().defaultProfile).toBe('prod');
  });

  it('remove of the default leaves the only other profile as the default', async () => {
    const { run, saved } = await withTwo();
    const result = await run(['profile', 'remove', 'dev']);
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({ removed: 'dev', defaultProfile: 'prod' });
    expect(result.stderr).toContain('Profile "prod" is now the default.');
    expect(saved()).toEqual({ defaultProfile: 'prod', profiles: { prod: expect.any(Object) } });
  });

  it('no profile at all: exit 3 with a hint to add one or start the emulator', async () => {
    const { run } = setup();
    const result = await run(['profile', 'show']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'error: No connection profile is configured.\nhint: Add one with `dvas profile add <name> --url https://<org>.crm.dynamics.com`, or try the emulator with `dvas emulator --profile demo`.\n',
    );
  });
});

describe('--dry-run writes no profile', () => {
  it('profile add, use and remove check everything, then stop with exit 0 before writing', async () => {
    const { run, saved, file } = setup();
    const dryAdd = await run(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com', '--dry-run']);
    expect(dryAdd.code, dryAdd.stderr).toBe(0);
    expect(dryAdd.stdout).toBe('');
    expect(dryAdd.stderr).toContain('Dry run: nothing was written to');
    expect(existsSync(file)).toBe(false);

    await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com']);
    await run(['profile', 'add', 'test', '--url', 'https://test.crm.dynamics.com']);
    const before = saved();
    expect((await run(['profile', 'use', 'test', '--dry-run'])).code).toBe(0);
    expect((await run(['profile', 'remove', 'dev', '--dry-run'])).code).toBe(0);
    expect(saved()).toEqual(before);

    // The checks still run: an unknown profile is the same error as without --dry-run.
    expect((await run(['profile', 'remove', 'nope', '--dry-run'])).code).toBe(3);
    expect((await run(['profile', 'add', 'bad name', '--url', 'https://x.crm.dynamics.com', '--dry-run'])).code).toBe(2);
  });

  it('login and logout start no sign-in and change nothing', async () => {
    const { run, saved } = setup();
    await run(['profile', 'add', 'dev', '--url', 'https://contoso.crm.dynamics.com']);
    const before = saved();
    for (const command of ['login', 'logout']) {
      const result = await run([command, '--dry-run']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Dry run: dvas log(in|out) would .*profile "dev".*; nothing was done\.\n$/);
    }
    expect(saved()).toEqual(before);
  });
});
