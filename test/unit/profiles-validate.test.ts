import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHostname } from '../../src/http/loopback.js';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CLIENT_ID } from '../../src/dataverse/facts.js';
import { UsageError } from '../../src/errors.js';
import { buildProfile, type InputLabels, type ProfileInput } from '../../src/profiles/build.js';
import {
  checkAuthority,
  checkEnvironmentUrl,
  checkGuid,
  checkProfileName,
  checkTenant,
  checkReadableFile,
} from '../../src/profiles/validate.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-0000-4000-8000-000000000001';

describe('checkProfileName', () => {
  it.each(['dev', 'Prod_EU-2', 'a', 'x'.repeat(64), 'constructor', '__proto__'])('accepts %j', (name) => {
    expect(checkProfileName(name).ok).toBe(true);
  });
  it.each(['', 'my.org', 'has space', 'x'.repeat(65), 'ünï', 'a/b', 'a\nb'])('rejects %j', (name) => {
    expect(checkProfileName(name).ok).toBe(false);
  });
});

describe('checkEnvironmentUrl', () => {
  it.each([
    ['https://contoso.crm.dynamics.com', 'https://contoso.crm.dynamics.com', undefined, undefined],
    ['https://contoso.crm.dynamics.com/', 'https://contoso.crm.dynamics.com', undefined, undefined],
    ['https://contoso.crm.dynamics.com/api/data/v9.1/', 'https://contoso.crm.dynamics.com', '/api/data/v9.1/', 'v9.1'],
    ['https://contoso.crm4.dynamics.com/api/data/v9.2/accounts?$top=1', 'https://contoso.crm4.dynamics.com', '/api/data/v9.2/accounts?$top=1', 'v9.2'],
    ['https://contoso.crm.dynamics.com/main.aspx?appid=1', 'https://contoso.crm.dynamics.com', '/main.aspx?appid=1', undefined],
    ['https://crm.contoso.local:444', 'https://crm.contoso.local:444', undefined, undefined],
    ['http://127.0.0.1:5555', 'http://127.0.0.1:5555', undefined, undefined],
    ['http://127.8.9.10', 'http://127.8.9.10', undefined, undefined],
    ['http://localhost:8080', 'http://localhost:8080', undefined, undefined],
    ['http://[::1]:8080', 'http://[::1]:8080', undefined, undefined],
  ])('%s → %s', (raw, url, droppedPath, apiVersionInPath) => {
    const checked = checkEnvironmentUrl(raw);
    expect(checked).toEqual({ ok: true, value: { url, ...(droppedPath ? { droppedPath } : {}), ...(apiVersionInPath ? { apiVersionInPath } : {}) } });
  });

  it.each([
    ['not a URL', 'contoso.crm.dynamics.com', /must be a URL/],
    ['http to a remote host', 'http://contoso.crm.dynamics.com', /must use https/],
    ['http to a private address', 'http://10.0.0.5', /must use https/],
    ['http to a name that only starts like loopback', 'http://127.0.0.1.evil.example', /must use https/],
    ['another scheme', 'ftp://contoso.example', /must use https/],
    ['credentials in the URL', 'https://user:pass@contoso.crm.dynamics.com', /user name or password/],
  ])('rejects %s', (_, raw, problem) => {
    const checked = checkEnvironmentUrl(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });
});

describe('the loopback rule (one function for profiles, sign-in and the network layer)', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['emulator.localhost', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['::1', true],
    ['[0:0:0:0:0:0:0:1]', true],
    ['[::ffff:7f00:1]', true],
    ['::ffff:127.0.0.1', true],
    ['[0:0:0:0:0:ffff:7f00:1]', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['localhostx', false],
    ['0.0.0.0', false],
    ['[::ffff:8000:1]', false],
    ['[::2]', false],
    ['[fe80::1]', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHostname(host)).toBe(loopback);
  });

  it('decides a profile URL as the network layer decides a request', () => {
    for (const url of ['http://emulator.localhost:8080/', 'http://[::ffff:127.0.0.1]:8080/', 'http://[::1]:1/']) {
      expect(checkEnvironmentUrl(url).ok).toBe(true);
    }
    expect(checkEnvironmentUrl('http://[::ffff:10.0.0.1]:8080/').ok).toBe(false);
  });
});

describe('checkGuid, checkTenant and checkAuthority', () => {
  it('lower-cases GUIDs and rejects other text', () => {
    expect(checkGuid(TENANT.toUpperCase())).toEqual({ ok: true, value: TENANT });
    expect(checkGuid('contoso.onmicrosoft.com').ok).toBe(false);
  });
  it('checkTenant takes a GUID or a domain name, both in lower case, and nothing else', () => {
    expect(checkTenant(TENANT.toUpperCase())).toEqual({ ok: true, value: TENANT });
    for (const domain of ['contoso.onmicrosoft.com', 'Contoso.COM', 'a.b', 'xn--bcher-kva.example', `${'a'.repeat(63)}.com`]) {
      expect(checkTenant(domain)).toEqual({ ok: true, value: domain.toLowerCase() });
    }
    for (const bad of ['contoso', '', ' contoso.com', 'contoso.com ', 'a..b', '.a.b', 'a.b.', '-a.com', 'a-.com', '10.0.0.1', 'a_b.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`, 'bücher.de', 'contoso.com\n', 'https://login.microsoftonline.com/x', 'a.com/b', 'a.com:443', 'common', 'organizations', 'consumers']) {
      expect(checkTenant(bad).ok, bad).toBe(false);
    }
  });
  it('keeps the authority path (the tenant or /adfs) without a trailing slash', () => {
    expect(checkAuthority(`https://login.microsoftonline.us/${TENANT}/`)).toEqual({ ok: true, value: `https://login.microsoftonline.us/${TENANT}` });
    expect(checkAuthority('https://adfs.contoso.com/adfs')).toEqual({ ok: true, value: 'https://adfs.contoso.com/adfs' });
    expect(checkAuthority('https://login.example.com/t?x=1').ok).toBe(false);
    expect(checkAuthority('http://login.example.com/t').ok).toBe(false);
  });
});

describe('checkReadableFile', () => {
  const directory = mkdtempSync(join(tmpdir(), 'dvas-files-'));
  const pem = join(directory, 'cert.pem');
  writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');

  it('returns the absolute path of a readable file', () => {
    expect(checkReadableFile(pem)).toEqual({ ok: true, value: pem });
  });
  it('rejects a missing file, naming it', () => {
    const checked = checkReadableFile(join(directory, 'missing.pem'));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(/does not exist: ".*missing\.pem"/);
  });
  it('rejects a directory', () => {
    expect(checkReadableFile(directory).ok).toBe(false);
  });
  it.skipIf(process.getuid?.() === 0)('rejects an unreadable file', () => {
    const locked = join(directory, 'locked.pem');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0o000);
    expect(checkReadableFile(locked).ok).toBe(false);
  });
});

describe('buildProfile', () => {
  const labels: InputLabels = {
    name: 'The profile name',
    url: '--url',
    auth: '--auth',
    tenantId: '--tenant',
    clientId: '--client-id',
    certificatePath: '--certificate',
    keyPath: '--key',
    authority: '--authority',
    apiVersion: '--api-version',
  };
  const options = {
    labels,
    fail: (message: string) => new UsageError(message),
    checkFile: (raw: string) => (raw.startsWith('/exists/') ? { ok: true as const, value: raw } : { ok: false as const, problem: `names a file that does not exist: "${raw}"` }),
  };
  const build = (input: Partial<ProfileInput>) => buildProfile({ name: 'dev', url: 'https://contoso.crm.dynamics.com', auth: 'device-code', ...input }, options);

  it('device code defaults the client id to the pre-approved public client, and the API version to v9.2', () => {
    expect(build({}).profile).toEqual({ name: 'dev', url: 'https://contoso.crm.dynamics.com', auth: 'device-code', clientId: PUBLIC_CLIENT_ID, apiVersion: 'v9.2' });
  });

  it('takes the API version from a pasted Web API URL and says what it dropped', () => {
    const built = build({ url: 'https://contoso.crm.dynamics.com/api/data/v9.1/' });
    expect(built.profile.url).toBe('https://contoso.crm.dynamics.com');
    expect(built.profile.apiVersion).toBe('v9.1');
    expect(built.notes).toEqual(['Using the environment URL https://contoso.crm.dynamics.com, API version v9.1 (dropped "/api/data/v9.1/" from --url).']);
  });

  it('lets --api-version win over the pasted path', () => {
    expect(build({ url: 'https://contoso.crm.dynamics.com/api/data/v9.1/', apiVersion: 'v9.0' }).profile.apiVersion).toBe('v9.0');
  });

  it('keeps certificate paths, never contents', () => {
    const { profile } = build({ auth: 'certificate', clientId: CLIENT, tenantId: TENANT, certificatePath: '/exists/cert.pem', keyPath: '/exists/key.pem' });
    expect(profile).toMatchObject({ auth: 'certificate', clientId: CLIENT, tenantId: TENANT, certificatePath: '/exists/cert.pem', keyPath: '/exists/key.pem' });
  });

  it.each([
    ['a bad name', { name: 'my.org' }, /^The profile name must be 1 to 64 letters/],
    ['an unknown auth kind', { auth: 'password' }, /^--auth must be one of client-secret, certificate/],
    ['client-secret without a client id', { auth: 'client-secret' }, /^client-secret sign-in needs the application \(client\) id: set --client-id\.$/],
    ['certificate without a client id', { auth: 'certificate', certificatePath: '/exists/c', keyPath: '/exists/k' }, /needs the application \(client\) id/],
    ['workload-identity without a client id', { auth: 'workload-identity' }, /needs the application \(client\) id/],
    ['interactive without a client id', { auth: 'interactive' }, /needs the application \(client\) id/],
    ['a client id that is not a GUID', { clientId: 'my-app' }, /^--client-id must be a GUID/],
    ['a tenant that is neither a GUID nor a domain name', { tenantId: 'contoso' }, /^--tenant must be a tenant id \(a GUID/],
    ['a client id for azure-cli', { auth: 'azure-cli', clientId: CLIENT }, /^--client-id does not apply to azure-cli sign-in\.$/],
    ['certificate without --key', { auth: 'certificate', clientId: CLIENT, certificatePath: '/exists/c' }, /needs both --certificate and --key/],
    ['a missing certificate file', { auth: 'certificate', clientId: CLIENT, certificatePath: '/nope/c', keyPath: '/exists/k' }, /^--certificate names a file that does not exist/],
    ['--certificate with another kind', { auth: 'client-secret', clientId: CLIENT, certificatePath: '/exists/c' }, /apply only to certificate sign-in/],
    ['a bad API version', { apiVersion: '9.2' }, /^--api-version must look like v9.2/],
    ['an http authority off loopback', { authority: 'http://adfs.contoso.com/adfs' }, /^--authority must use https/],
  ])('rejects %s with one sentence', (_, input, message) => {
    expect(() => build(input)).toThrow(UsageError);
    expect(() => build(input)).toThrow(message);
  });

  it.each([
    ['managed-identity', {}],
    ['managed-identity', { clientId: CLIENT }],
    ['azure-cli', {}],
    ['token', {}],
    ['client-secret', { clientId: CLIENT }],
    ['workload-identity', { clientId: CLIENT, tenantId: TENANT }],
  ])('accepts %s %j', (auth, input) => {
    expect(build({ auth, ...input }).profile.auth).toBe(auth);
  });
});
