import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-0000-4000-8000-000000000001';
const newConfigDir = useTempConfigDir();

/** A config dir with profiles "dev" (device code, the default) and "app" (client secret), and a runner bound to it. */
async function withProfiles(extraEnv: Record<string, string> = {}) {
  const directory = newConfigDir();
  const env = { DVAS_CONFIG_DIR: directory, ...extraEnv };
  const file = join(directory, 'profiles.json');
  const run = (argv: string[], options: { env?: Record<string, string> } = {}) =>
    runCli(argv, { env: { ...env, ...options.env }, tty: { stdout: false, stderr: false } });
  expect((await run(['profile', 'add', 'dev', '--url', 'https://dev.crm.dynamics.com'])).code).toBe(0);
  expect((await run(['profile', 'add', 'app', '--url', 'https://app.crm.dynamics.com', '--auth', 'client-secret', '--client-id', CLIENT])).code).toBe(0);
  return { directory, file, run, text: () => readFileSync(file, 'utf8'), saved: () => JSON.parse(readFileSync(file, 'utf8')) };
}

describe('dvas profile set', () => {
  it('changes only what the flags name, keeps the rest, and prints the profile as `profile show` does', async () => {
    const { run, saved } = await withProfiles();
    const result = await run(['profile', 'set', 'app', '--tenant', TENANT.toUpperCase(), '--api-version', 'v9.1']);
    expect(result.code, result.stderr).toBe(0);
    const shown = (await run(['profile', 'show', 'app'])).json() as Record<string, unknown>;
    const { source: _source, ...view } = shown;
    expect(result.json()).toEqual(view);
    expect(result.json()).toEqual({
      name: 'app',
      url: 'https://app.crm.dynamics.com',
      auth: 'client-secret',
      apiVersion: 'v9.1',
      tenantId: TENANT,
      clientId: CLIENT,
      authority: null,
      certificatePath: null,
      keyPath: null,
      username: null,
      isDefault: false,
    });
    expect(result.stderr).toMatch(/^✓ Updated profile "app" in .*profiles\.json\.$/m);
    expect(saved()).toEqual({
      defaultProfile: 'dev',
      profiles: {
        dev: { url: 'https://dev.crm.dynamics.com', auth: 'device-code', clientId: PUBLIC_CLIENT_ID, apiVersion: 'v9.2' },
        app: { url: 'https://app.crm.dynamics.com', auth: 'client-secret', tenantId: TENANT, clientId: CLIENT, apiVersion: 'v9.1' },
      },
    });
  });

  it('cleans a new URL as add does (a pasted Web API URL gives its version), and --default makes it the default', async () => {
    const { run, saved } = await withProfiles();
    const result = await run(['profile', 'set', 'app', '--url', 'https://other.crm4.dynamics.com/api/data/v9.0/', '--default']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Using the environment URL https://other.crm4.dynamics.com, API version v9.0 (dropped "/api/data/v9.0/" from --url).');
    expect(result.stderr).toContain('Updated profile "app" (the default)');
    expect(saved().defaultProfile).toBe('app');
    expect(saved().profiles.app).toMatchObject({ url: 'https://other.crm4.dynamics.com', apiVersion: 'v9.0' });
    // --default alone is a change too.
    expect((await run(['profile', 'set', 'dev', '--default'])).code).toBe(0);
    expect(saved().defaultProfile).toBe('dev');
  });

  it('a change of kind drops saved values the new kind does not take, and says so', async () => {
    const { run, saved, directory } = await withProfiles();
    const certificate = join(dirname(directory), 'app.pem');
    const key = join(dirname(directory), 'app.key');
    writeFileSync(certificate, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n');
    const toCertificate = await run(['profile', 'set', 'app', '--auth', 'certificate', '--certificate', certificate, '--key', key]);
    expect(toCertificate.code, toCertificate.stderr).toBe(0);
    expect(saved().profiles.app).toEqual({ url: 'https://app.crm.dynamics.com', auth: 'certificate', clientId: CLIENT, certificatePath: certificate, keyPath: key, apiVersion: 'v9.2' });
    expect(toCertificate.stdout + toCertificate.stderr).not.toContain('SECRETKEYMATERIAL');

    const toAzureCli = await run(['profile', 'set', 'app', '--auth', 'azure-cli']);
    expect(toAzureCli.code, toAzureCli.stderr).toBe(0);
    expect(toAzureCli.stderr).toContain(`Dropped the saved client id "${CLIENT}": azure-cli sign-in uses none.`);
    expect(toAzureCli.stderr).toContain('Dropped the saved certificate');
    expect(saved().profiles.app).toEqual({ url: 'https://app.crm.dynamics.com', auth: 'azure-cli', apiVersion: 'v9.2' });

    // Microsoft's public client, filled in for device code, is not carried to a kind that needs an app of its own.
    const toInteractive = await run(['profile', 'set', 'dev', '--auth', 'interactive']);
    expect(toInteractive.code).toBe(2);
    expect(toInteractive.stderr).toMatch(/^error: interactive sign-in needs the application \(client\) id: set --client-id\.$/m);
  });

  it.each([
    ['nothing to change', ['app'], /^error: Nothing to change: give at least one of --url, --auth, --tenant, --client-id, --certificate, --key, --authority, --api-version, --default\.$/m],
    ['an http URL off loopback', ['app', '--url', 'http://contoso.crm.dynamics.com'], /^error: --url must use https/m],
    ['a bad tenant', ['app', '--tenant', 'not a tenant'], /^error: --tenant must be/m],
    ['a bad client id', ['app', '--client-id', 'abc'], /^error: --client-id must be a GUID/m],
    ['a client id for a kind that uses none', ['app', '--auth', 'azure-cli', '--client-id', CLIENT], /^error: --client-id does not apply to azure-cli sign-in\.$/m],
    ['a certificate for a kind that takes none', ['app', '--certificate', '/etc/hostname'], /^error: --certificate and --key apply only to certificate sign-in\.$/m],
    ['certificate sign-in without the files', ['app', '--auth', 'certificate'], /^error: certificate sign-in needs both --certificate and --key \(PEM files\)\.$/m],
    ['a missing certificate file', ['app', '--auth', 'certificate', '--certificate', '/nonexistent/c.pem', '--key', '/nonexistent/k.pem'], /^error: --certificate names a file that does not exist: "\/nonexistent\/c\.pem"\.$/m],
    ['a bad API version', ['app', '--api-version', '9.2'], /^error: --api-version must look like v9\.2, not "9\.2"\.$/m],
    ['an unknown --auth', ['app', '--auth', 'password'], /argument 'password' is invalid\. Allowed choices are client-secret/],
    ['a secret on the command line', ['app', '--client-secret', 's3cr3t'], /unknown option '--client-secret'/],
  ])('exits 2 for %s and leaves the file byte-identical', async (_, args, message) => {
    const { run, text } = await withProfiles();
    const before = text();
    const result = await run(['profile', 'set', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(text()).toBe(before);
  });

  it('an unknown name is the first thing wrong, even with nothing to change: exit 3, as for show, use and remove', async () => {
    const { run, text } = await withProfiles();
    const before = text();
    const result = await run(['profile', 'set', 'nosuch']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: There is no profile named "nosuch"/m);
    expect(text()).toBe(before);
  });

  it('a saved certificate file that has gone is named as the saved one', async () => {
    const { run, text, directory } = await withProfiles();
    const certificate = join(dirname(directory), 'gone.pem');
    const key = join(dirname(directory), 'gone.key');
    writeFileSync(certificate, 'c');
    writeFileSync(key, 'k');
    expect((await run(['profile', 'set', 'app', '--auth', 'certificate', '--certificate', certificate, '--key', key])).code).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(certificate);
    const before = text();
    const result = await run(['profile', 'set', 'app', '--api-version', 'v9.1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --certificate \(saved\) names a file that does not exist: ".*gone\.pem"\.$/m);
    expect(text()).toBe(before);
  });

  it('an unknown profile is the same error as for show/use/remove: exit 3 listing the known ones', async () => {
    const { run, text } = await withProfiles();
    const before = text();
    const result = await run(['profile', 'set', 'prdo', '--tenant', TENANT]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: There is no profile named "prdo"; the known profiles are dev, app\.$/m);
    expect(text()).toBe(before);
  });

  it('--dry-run checks everything and writes nothing', async () => {
    const { run, text } = await withProfiles();
    const before = text();
    const dry = await run(['profile', 'set', 'app', '--tenant', TENANT, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Dry run: nothing was written to');
    expect((await run(['profile', 'set', 'app', '--tenant', 'bad tenant', '--dry-run'])).code).toBe(2);
    expect(text()).toBe(before);
  });

  it('forgets the account `dvas login` recorded when the sign-in changes, and keeps it otherwise', async () => {
    const { run, file, saved } = await withProfiles();
    const document = saved();
    document.profiles.dev = { ...document.profiles.dev, homeAccountId: 'oid.tid', username: 'sam@contoso.com' };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(document));

    const sameSignIn = await run(['profile', 'set', 'dev', '--api-version', 'v9.1']);
    expect(sameSignIn.code, sameSignIn.stderr).toBe(0);
    expect(sameSignIn.json()).toMatchObject({ username: 'sam@contoso.com' });
    expect(saved().profiles.dev).toMatchObject({ homeAccountId: 'oid.tid', username: 'sam@contoso.com' });

    const newTenant = await run(['profile', 'set', 'dev', '--tenant', TENANT]);
    expect(newTenant.code, newTenant.stderr).toBe(0);
    expect(newTenant.json()).toMatchObject({ tenantId: TENANT, username: null });
    expect(newTenant.stderr).toContain('The profile no longer signs in as "sam@contoso.com": that sign-in was for the old settings; sign in again with `dvas login`.');
    expect(saved().profiles.dev).toEqual({ url: 'https://dev.crm.dynamics.com', auth: 'device-code', tenantId: TENANT, clientId: PUBLIC_CLIENT_ID, apiVersion: 'v9.1' });
  });
});
