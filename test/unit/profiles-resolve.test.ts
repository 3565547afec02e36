import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { ENVIRONMENT_PROFILE_NAME, profileFromEnvironment } from '../../src/profiles/from-environment.js';
import { resolveProfile, type ProfileSource } from '../../src/profiles/resolve.js';
import { EMPTY_SNAPSHOT, type ProfilesSnapshot } from '../../src/profiles/schema.js';
import type { Profile } from '../../src/profiles/types.js';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import type { Checked } from '../../src/profiles/validate.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-0000-4000-8000-000000000001';
const profile = (name: string): Profile => ({ name, url: `https://${name}.crm.dynamics.com`, auth: 'device-code', apiVersion: 'v9.2' });
const saved = (defaultName: string | undefined, ...names: string[]): ProfilesSnapshot => ({
  profiles: new Map(names.map((name) => [name, profile(name)])),
  defaultName,
});
const fakeFiles = (raw: string): Checked<string> => (raw.startsWith('/') ? { ok: true, value: raw } : { ok: false, problem: `names a file that does not exist: "${raw}"` });

async function resolve(flag: string | undefined, env: Record<string, string>, snapshot: ProfilesSnapshot) {
  let reads = 0;
  const result = await resolveProfile({
    flag,
    env,
    readSaved: async () => {
      reads++;
      return snapshot;
    },
    checkFile: fakeFiles,
  });
  return { ...result, reads };
}

describe('resolveProfile: which profile', () => {
  const CI = { DVAS_URL: 'https://ci.crm.dynamics.com', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 'x' };
  it.each<[string, string | undefined, Record<string, string>, ProfilesSnapshot, string, ProfileSource]>([
    ['the default', undefined, {}, saved('dev', 'dev', 'prod'), 'dev', 'default'],
    ['DVAS_PROFILE over the default', undefined, { DVAS_PROFILE: 'prod' }, saved('dev', 'dev', 'prod'), 'prod', 'DVAS_PROFILE'],
    ['-p over DVAS_PROFILE', 'test', { DVAS_PROFILE: 'prod' }, saved('dev', 'dev', 'prod', 'test'), 'test', '--profile'],
    ['DVAS_URL over the default', undefined, CI, saved('dev', 'dev'), ENVIRONMENT_PROFILE_NAME, 'environment'],
    ['-p over DVAS_URL', 'dev', CI, saved('dev', 'dev'), 'dev', '--profile'],
    ['DVAS_PROFILE over DVAS_URL', undefined, { ...CI, DVAS_PROFILE: 'prod' }, saved('dev', 'dev', 'prod'), 'prod', 'DVAS_PROFILE'],
    ['an empty DVAS_PROFILE counts as unset', undefined, { DVAS_PROFILE: '' }, saved('dev', 'dev', 'prod'), 'dev', 'default'],
  ])('%s', async (_, flag, env, snapshot, name, source) => {
    const result = await resolve(flag, env, snapshot);
    expect(result.profile.name).toBe(name);
    expect(result.source).toBe(source);
  });

  it('never reads the profiles file for a profile made from variables (CI needs none)', async () => {
    const result = await resolve(undefined, CI, saved('dev', 'dev'));
    expect(result.reads).toBe(0);
  });

  it('notes that DVAS_URL was ignored when a profile was named', async () => {
    const result = await resolve('dev', CI, saved('dev', 'dev'));
    expect(result.notes).toEqual(['DVAS_URL is ignored: --profile chose the profile "dev".']);
  });

  it.each<[string, string | undefined, Record<string, string>, ProfilesSnapshot, RegExp, RegExp]>([
    ['an unknown -p, listing the known ones and the close one', 'prdo', {}, saved('dev', 'dev', 'prod'), /^There is no profile named "prdo" \(from --profile\); the known profiles are dev, prod\. Did you mean "prod"\?$/, /dvas profile list/],
    ['an unknown -p close to none: no guess', 'staging', {}, saved('dev', 'dev', 'prod'), /^There is no profile named "staging" \(from --profile\); the known profiles are dev, prod\.$/, /dvas profile list/],
    ['an unknown DVAS_PROFILE', undefined, { DVAS_PROFILE: 'gone' }, saved('dev', 'dev'), /"gone" \(from DVAS_PROFILE\); the known profiles are dev\.$/, /dvas profile list/],
    ['a name when none are saved', 'dev', {}, EMPTY_SNAPSHOT, /no profiles are saved yet/, /dvas profile add/],
    ['nothing at all', undefined, {}, EMPTY_SNAPSHOT, /^No connection profile is configured\.$/, /dvas profile add .*dvas emulator --profile demo/],
    ['profiles but no default', undefined, {}, saved(undefined, 'dev', 'prod'), /^No profile is the default.*dev, prod\.$/, /dvas profile use/],
  ])('exit 3 for %s', async (_, flag, env, snapshot, message, hint) => {
    const failure = resolve(flag, env, snapshot);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ exitCode: 3, hint: expect.stringMatching(hint) });
  });
});

describe('profileFromEnvironment', () => {
  const URL = { DVAS_URL: 'https://ci.crm.dynamics.com' };
  it.each<[string, Record<string, string>, Partial<Profile>]>([
    ['a bearer token', { DVAS_ACCESS_TOKEN: 'eyJ…' }, { auth: 'token' }],
    ['a client secret (AZURE_)', { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_SECRET: 's' }, { auth: 'client-secret', clientId: CLIENT, tenantId: TENANT }],
    ['a client secret (DVAS_)', { AZURE_CLIENT_ID: CLIENT, DVAS_CLIENT_SECRET: 's' }, { auth: 'client-secret', clientId: CLIENT }],
    [
      'a certificate holding its key (as Azure SDKs expect)',
      { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: '/run/cert.pem' },
      { auth: 'certificate', certificatePath: '/run/cert.pem', keyPath: '/run/cert.pem' },
    ],
    [
      'a certificate with a separate key',
      { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: '/run/cert.pem', DVAS_CLIENT_KEY_PATH: '/run/key.pem' },
      { auth: 'certificate', certificatePath: '/run/cert.pem', keyPath: '/run/key.pem' },
    ],
    ['a federated token file', { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' }, { auth: 'workload-identity', clientId: CLIENT }],
    ['a token beats a secret', { DVAS_ACCESS_TOKEN: 't', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's' }, { auth: 'token' }],
    ['a secret beats a certificate (EnvironmentCredential order)', { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }, { auth: 'client-secret' }],
    ['DVAS_AUTH beats inference', { DVAS_AUTH: 'azure-cli', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's' }, { auth: 'azure-cli' }],
    ['managed identity by DVAS_AUTH, user-assigned', { DVAS_AUTH: 'managed-identity', AZURE_CLIENT_ID: CLIENT }, { auth: 'managed-identity', clientId: CLIENT }],
    ['device code by DVAS_AUTH gets the public client', { DVAS_AUTH: 'device-code' }, { auth: 'device-code', clientId: PUBLIC_CLIENT_ID }],
    ['DVAS_AUTHORITY and DVAS_API_VERSION', { DVAS_ACCESS_TOKEN: 't', DVAS_AUTHORITY: 'https://adfs.contoso.com/adfs', DVAS_API_VERSION: 'v9.0' }, { authority: 'https://adfs.contoso.com/adfs', apiVersion: 'v9.0' }],
    ['the emulator on loopback http', { DVAS_URL: 'http://127.0.0.1:5555', DVAS_ACCESS_TOKEN: 't' }, { url: 'http://127.0.0.1:5555' }],
  ])('%s', (_, env, expected) => {
    const built = profileFromEnvironment({ ...URL, ...env }, fakeFiles);
    expect(built?.profile).toMatchObject({ name: ENVIRONMENT_PROFILE_NAME, url: 'https://ci.crm.dynamics.com', apiVersion: 'v9.2', ...expected });
  });

  it('ignores variables meant for other tools that this kind of sign-in does not use', () => {
    const built = profileFromEnvironment({ ...URL, DVAS_AUTH: 'azure-cli', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }, fakeFiles);
    expect(built?.profile).toEqual({ name: ENVIRONMENT_PROFILE_NAME, url: 'https://ci.crm.dynamics.com', auth: 'azure-cli', apiVersion: 'v9.2' });
  });

  it('never puts a secret or token in the profile', () => {
    const built = profileFromEnvironment({ ...URL, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 'hunter2', DVAS_ACCESS_TOKEN: 'tok' }, fakeFiles);
    expect(JSON.stringify(built)).not.toMatch(/hunter2|tok"/);
  });

  it('is undefined without DVAS_URL (or with an empty one)', () => {
    expect(profileFromEnvironment({ AZURE_CLIENT_SECRET: 's' }, fakeFiles)).toBeUndefined();
    expect(profileFromEnvironment({ DVAS_URL: '' }, fakeFiles)).toBeUndefined();
  });

  it.each([
    ['no credential at all', {}, /^DVAS_URL is set, but neither DVAS_AUTH nor a credential variable is\.$/],
    ['a secret without AZURE_CLIENT_ID', { AZURE_CLIENT_SECRET: 's' }, /client-secret sign-in needs the application \(client\) id: set AZURE_CLIENT_ID\./],
    ['an unknown DVAS_AUTH', { DVAS_AUTH: 'password' }, /^DVAS_AUTH must be one of/],
    ['a bad AZURE_TENANT_ID', { DVAS_ACCESS_TOKEN: 't', AZURE_TENANT_ID: 'contoso' }, /^AZURE_TENANT_ID must be a tenant id \(a GUID/],
    ['a missing certificate file', { AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: 'cert.pem' }, /^AZURE_CLIENT_CERTIFICATE_PATH names a file that does not exist/],
  ])('exit 3 naming the variable: %s', (_, env, message) => {
    expect(() => profileFromEnvironment({ ...URL, ...env }, fakeFiles)).toThrow(ConfigError);
    expect(() => profileFromEnvironment({ ...URL, ...env }, fakeFiles)).toThrow(message);
  });

  it('refuses plain http off loopback, naming DVAS_URL', () => {
    expect(() => profileFromEnvironment({ DVAS_URL: 'http://ci.crm.dynamics.com', DVAS_ACCESS_TOKEN: 't' }, fakeFiles)).toThrow(/^DVAS_URL must use https/);
  });
});
