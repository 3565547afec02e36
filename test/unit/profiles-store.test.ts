import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { withDefault, withoutProfile, withProfile } from '../../src/profiles/changes.js';
import { FileProfileStore } from '../../src/profiles/file-store.js';
import { EMPTY_SNAPSHOT, parseProfilesDocument, profilesJsonSchema, toDocument, type ProfilesSnapshot } from '../../src/profiles/schema.js';
import { MemoryProfileStore } from '../../src/profiles/store.js';
import type { Profile } from '../../src/profiles/types.js';
import { useTempConfigDir } from '../helpers/cli.js';

const dev: Profile = { name: 'dev', url: 'https://dev.crm.dynamics.com', auth: 'device-code', clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d', apiVersion: 'v9.2' };
const prod: Profile = {
  name: 'prod',
  url: 'https://prod.crm.dynamics.com',
  auth: 'certificate',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '0a1b2c3d-0000-4000-8000-000000000001',
  certificatePath: '/etc/dvas/cert.pem',
  keyPath: '/etc/dvas/key.pem',
  authority: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47',
  apiVersion: 'v9.1',
  homeAccountId: 'oid.tid',
  username: 'admin@contoso.com',
};
const both: ProfilesSnapshot = { profiles: new Map([['dev', dev], ['prod', prod]]), defaultName: 'dev' };

const parse = (document: unknown) => parseProfilesDocument(JSON.stringify(document), (problem) => new ConfigError(`The file ${problem}.`));

describe('the profiles document', () => {
  it('round-trips every field', () => {
    const read = parse(toDocument(both));
    expect([...read.profiles.values()]).toEqual([dev, prod]);
    expect(read.defaultName).toBe('dev');
  });

  it.each([
    ['a stored secret', { profiles: { dev: { ...toDocument(both).profiles.dev, clientSecret: 's3cr3t' } } }, /profile "dev" has an unknown field "clientSecret"/],
    ['an unknown top-level field', { profiles: {}, token: 'x' }, /has an unknown field "token"/],
    ['profiles that are not an object', { profiles: [] }, /"profiles" field that is not an object/],
    ['a bad profile name', { profiles: { 'my.org': { url: 'https://a.example', auth: 'token', apiVersion: 'v9.2' } } }, /profile name "my.org" is not valid/],
    ['a missing url', { profiles: { dev: { auth: 'token', apiVersion: 'v9.2' } } }, /profile "dev" has no url/],
    ['an unknown auth kind', { profiles: { dev: { url: 'https://a.example', auth: 'password', apiVersion: 'v9.2' } } }, /profile "dev" has an invalid auth/],
    ['a non-string value', { profiles: { dev: { url: 'https://a.example', auth: 'token', apiVersion: 9.2 } } }, /profile "dev" has an invalid apiVersion/],
    ['an http url off loopback', { profiles: { dev: { url: 'http://a.example', auth: 'token', apiVersion: 'v9.2' } } }, /profile "dev" has an invalid url/],
    ['a url with a path', { profiles: { dev: { url: 'https://a.example/api/data/v9.2', auth: 'token', apiVersion: 'v9.2' } } }, /profile "dev" has an invalid url/],
    ['a tenant domain edited into upper case', { profiles: { dev: { url: 'https://a.example', auth: 'token', apiVersion: 'v9.2', tenantId: 'Contoso.COM' } } }, /profile "dev" has an invalid tenantId/],
    ['a tenant domain past DNS\'s 253 characters', { profiles: { dev: { url: 'https://a.example', auth: 'token', apiVersion: 'v9.2', tenantId: `${'a'.repeat(60)}.`.repeat(5) + 'com' } } }, /profile "dev" has an invalid tenantId/],
    ['a multi-tenant alias', { profiles: { dev: { url: 'https://a.example', auth: 'token', apiVersion: 'v9.2', tenantId: 'organizations' } } }, /profile "dev" has an invalid tenantId/],
    ['a relative certificate path', { profiles: { dev: { ...toDocument(both).profiles.prod, certificatePath: 'cert.pem' } } }, /relative file path/],
    ['a default that is not a string', { profiles: {}, defaultProfile: 3 }, /"defaultProfile" that is not a string/],
  ])('rejects %s', (_, document, problem) => {
    expect(() => parse(document)).toThrow(ConfigError);
    expect(() => parse(document)).toThrow(problem);
  });

  it('rejects text that is not JSON, or JSON that is not an object', () => {
    expect(() => parseProfilesDocument('{"profiles":', (problem) => new ConfigError(problem))).toThrow('is not valid JSON');
    expect(() => parseProfilesDocument('[]', (problem) => new ConfigError(problem))).toThrow('does not hold a JSON object');
  });

  it('reads a default naming no profile (a hand edit) as no default, so `profile use` can repair it', () => {
    expect(parse({ profiles: toDocument(both).profiles, defaultProfile: 'gone' }).defaultName).toBeUndefined();
  });

  it('keeps profile names off Object.prototype: "constructor" exists only when saved', () => {
    expect(parse({ profiles: {} }).profiles.get('constructor')).toBeUndefined();
  });

  it("conf's JSON Schema rejects a stray key too, the second gate on every write", () => {
    const directory = mkdtempConfig();
    const conf = new Conf<{ profiles: Record<string, Record<string, string>> }>({
      cwd: directory,
      configName: 'profiles',
      projectSuffix: '',
      accessPropertiesByDotNotation: false,
      schema: profilesJsonSchema(),
      rootSchema: { additionalProperties: false },
    });
    expect(() => conf.set('profiles', { dev: { url: dev.url, auth: dev.auth, apiVersion: 'v9.2', clientSecret: 's3cr3t' } })).toThrow(/Config schema violation/);
    expect(() => conf.set('profiles', { 'my.org': { url: dev.url, auth: dev.auth, apiVersion: 'v9.2' } })).toThrow(/Config schema violation/);
    conf.set('profiles', toDocument(both).profiles);
    expect(parse(conf.store).profiles.size).toBe(2);
  });
});

describe('profile changes', () => {
  it('makes the first profile the default, and later ones only when asked', () => {
    const first = withProfile(EMPTY_SNAPSHOT, dev);
    expect(first.defaultName).toBe('dev');
    expect(withProfile(first, prod).defaultName).toBe('dev');
    expect(withProfile(first, prod, { makeDefault: true }).defaultName).toBe('prod');
  });

  it('replaces a profile in place', () => {
    const updated = withProfile(both, { ...dev, username: 'sam@contoso.com' });
    expect([...updated.profiles.keys()]).toEqual(['dev', 'prod']);
    expect(updated.profiles.get('dev')?.username).toBe('sam@contoso.com');
  });

  it.each([
    ['a profile that is not the default keeps the default', both, 'prod', 'dev'],
    ['the default, one left: that one becomes the default', both, 'dev', 'prod'],
    ['the default, several left: no default', withProfile(both, { ...dev, name: 'test' }), 'dev', undefined],
  ])('removing %s', (_, snapshot, name, defaultName) => {
    expect(withoutProfile(snapshot, name).defaultName).toBe(defaultName);
  });

  it('withDefault ignores a name that is not saved', () => {
    expect(withDefault(both, 'prod').defaultName).toBe('prod');
    expect(withDefault(both, 'gone').defaultName).toBe('dev');
  });
});

const newConfigDir = useTempConfigDir();
function mkdtempConfig(): string {
  const directory = newConfigDir();
  mkdirSync(directory, { recursive: true });
  return directory;
}

describe('FileProfileStore', () => {
  it('reads a missing file as no profiles, and creates nothing', async () => {
    const directory = newConfigDir();
    const store = new FileProfileStore(directory);
    expect((await store.read()).profiles.size).toBe(0);
    expect(existsSync(directory)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('creates the directory 0700 and writes profiles.json 0600', async () => {
    const directory = newConfigDir();
    const store = new FileProfileStore(directory);
    await store.update((current) => withProfile(current, dev));
    expect(store.location).toBe(join(directory, 'profiles.json'));
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(store.location).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(store.location, 'utf8'))).toEqual({ defaultProfile: 'dev', profiles: { dev: { url: dev.url, auth: 'device-code', clientId: dev.clientId, apiVersion: 'v9.2' } } });
  });

  it.skipIf(process.platform === 'win32')('tightens an existing 0644 file to 0600 on the next write', async () => {
    const directory = mkdtempConfig();
    const store = new FileProfileStore(directory);
    writeFileSync(store.location, JSON.stringify(toDocument({ profiles: new Map([['dev', dev]]), defaultName: 'dev' })));
    chmodSync(store.location, 0o644);
    await store.update((current) => withProfile(current, prod));
    expect(statSync(store.location).mode & 0o777).toBe(0o600);
    expect([...(await store.read()).profiles.keys()]).toEqual(['dev', 'prod']);
  });

  it('names the file when it is corrupted, on read and on write, and leaves it untouched', async () => {
    const directory = mkdtempConfig();
    const store = new FileProfileStore(directory);
    writeFileSync(store.location, '{"profiles": {');
    await expect(store.read()).rejects.toThrow(new RegExp(`^The profiles file ${store.location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON\\.$`));
    await expect(store.update((current) => withProfile(current, dev))).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(store.location, 'utf8')).toBe('{"profiles": {');
  });

  it('writes nothing when the change throws', async () => {
    const directory = mkdtempConfig();
    const store = new FileProfileStore(directory);
    await store.update((current) => withProfile(current, dev));
    const before = readFileSync(store.location, 'utf8');
    await expect(
      store.update(() => {
        throw new ConfigError('refused');
      }),
    ).rejects.toThrow('refused');
    expect(readFileSync(store.location, 'utf8')).toBe(before);
  });
});

describe('FileProfileStore refuses to write what it could not read back', () => {
  it('a hand-built profile with a relative path is an internal error, and nothing is written', async () => {
    const directory = newConfigDir();
    const store = new FileProfileStore(directory);
    await expect(store.update((current) => withProfile(current, { ...prod, certificatePath: 'cert.pem' }))).rejects.toThrow(
      /^Refusing to save profiles that would not read back: the document is invalid: profile "prod" has a relative file path\.$/,
    );
    expect(existsSync(store.location)).toBe(false);
  });
});

describe('MemoryProfileStore', () => {
  it('applies changes like the file store', async () => {
    const store = new MemoryProfileStore();
    await store.update((current) => withProfile(current, dev));
    await store.update((current) => withProfile(current, prod, { makeDefault: true }));
    expect((await store.read()).defaultName).toBe('prod');
    expect(store.location).toBe('memory');
  });
});
