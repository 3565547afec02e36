import { afterAll, describe, expect, it } from 'vitest';
import type { TokenProvider } from '../../src/auth/token-provider.js';
import { DataverseClient } from '../../src/dataverse/client.js';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { DryRunStop } from '../../src/dataverse/dry-run.js';
import { DataverseApiError } from '../../src/dataverse/errors.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { ExitCode } from '../../src/exit-codes.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { bufferIO, profileFor } from './support.js';

const emulator = useEmulator();
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());

function clientAs(who: string, options: Partial<Parameters<typeof createDataverseClient>[0]> = {}) {
  const io = bufferIO();
  const client = createDataverseClient({
    profile: profileFor(emulator().url),
    env: { DVAS_ACCESS_TOKEN: emulator().issueToken(who) },
    io,
    dispatcher,
    cacheFile: '/nonexistent/never-used.json',
    ...options,
  });
  return { client, io };
}

describe('the Dataverse client against the emulator (token sign-in)', () => {
  it('whoAmI returns the signed-in application user', async () => {
    const { client } = clientAs(DEMO.app);
    const me = await client.whoAmI();
    expect(me.UserId).toBe(user(emulator(), DEMO.app).systemuserid);
    expect(me.OrganizationId).toBe(emulator().organizationId);
  });

  it('creates a row, returns the id from OData-EntityId, and reads it back', async () => {
    const { client } = clientAs(DEMO.app);
    const created = await client.create('accounts', { name: 'Client test A' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.record).toBeUndefined();
    const row = await client.retrieve('accounts', created.id, { select: ['name'] });
    expect(row.name).toBe('Client test A');
    expect(row.accountid).toBe(created.id);
  });

  it('create with returnRepresentation returns the row as well', async () => {
    const { client } = clientAs(DEMO.app);
    const created = await client.create('accounts', { name: 'Client test B' }, { returnRepresentation: true, primaryIdAttribute: 'accountid' });
    expect(created.record?.name).toBe('Client test B');
    expect(created.record?.accountid).toBe(created.id);
  });

  it('retrieveMultiple follows @odata.nextLink with all, and stops after one page without', async () => {
    const { client } = clientAs(DEMO.app);
    for (const name of ['Paging 1', 'Paging 2', 'Paging 3']) await client.create('accounts', { name });
    const query = { select: ['name'], filter: "startswith(name,'Paging')", orderby: 'name' };
    const firstPage = await client.retrieveMultiple('accounts', query, { maxPageSize: 2 });
    expect(firstPage.records.map((row) => row.name)).toEqual(['Paging 1', 'Paging 2']);
    expect(firstPage.nextLink).toContain('$skiptoken');
    const all = await client.retrieveMultiple('accounts', query, { maxPageSize: 2, all: true });
    expect(all.records.map((row) => row.name)).toEqual(['Paging 1', 'Paging 2', 'Paging 3']);
    expect(all.nextLink).toBeUndefined();
  });

  it('impersonates with CallerObjectId, and asCaller runs a call as the signed-in identity', async () => {
    const sam = user(emulator(), DEMO.sam);
    const { client } = clientAs(DEMO.app, { impersonation: { kind: 'entra-object-id', objectId: sam.azureactivedirectoryobjectid ?? '' } });
    expect((await client.whoAmI()).UserId).toBe(sam.systemuserid);
    expect((await client.whoAmI({ asCaller: true })).UserId).toBe(user(emulator(), DEMO.app).systemuserid);
  });

  it('impersonates an on-premises user (no object id) with MSCRMCallerID', async () => {
    const owen = user(emulator(), DEMO.owen);
    const { client } = clientAs(DEMO.app, { impersonation: { kind: 'systemuserid', systemUserId: owen.systemuserid } });
    expect((await client.whoAmI()).UserId).toBe(owen.systemuserid);
  });

  it('a caller without prvActOnBehalfOfAnotherUser gets exit 5, the code and the Delegate hint', async () => {
    const riley = user(emulator(), DEMO.riley);
    const { client } = clientAs(DEMO.sam, { impersonation: { kind: 'systemuserid', systemUserId: riley.systemuserid } });
    const error = await client.whoAmI().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataverseApiError);
    const apiError = error as DataverseApiError;
    expect(apiError.status).toBe(403);
    expect(apiError.code?.toLowerCase()).toBe('0x8004a110');
    expect(apiError.exitCode).toBe(ExitCode.PrivilegeDenied);
    expect(apiError.hint).toMatch(/directly.*Delegate.*team/);
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the exchange kept for --verbose shows the headers really sent (impersonation, redacted token)', async () => {
    const riley = user(emulator(), DEMO.riley);
    const { client } = clientAs(DEMO.sam, { impersonation: { kind: 'systemuserid', systemUserId: riley.systemuserid } });
    const error = (await client.whoAmI().catch((caught: unknown) => caught)) as DataverseApiError;
    expect(error.detail).toContain(`> MSCRMCallerID: ${riley.systemuserid}`);
    expect(error.detail).toContain('> Authorization: REDACTED');
    expect(error.detail).toContain('> OData-Version: 4.0');
    expect(error.detail).not.toMatch(/Bearer/);
  });

  it('PrivilegeDenied names --as in its hint only when the request impersonated someone', async () => {
    const fourthCoffee = [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Fourth Coffee');
    const id = String(fourthCoffee?.accountid);
    const plain = (await clientAs(DEMO.sam).client.retrieve('accounts', id).catch((caught: unknown) => caught)) as DataverseApiError;
    expect(plain.code).toBe('0x80040220');
    expect(plain.hint).toMatch(/signed-in identity/);
    expect(plain.hint).not.toMatch(/--as/);
    const sam = user(emulator(), DEMO.sam);
    const { client } = clientAs(DEMO.app, { impersonation: { kind: 'systemuserid', systemUserId: sam.systemuserid } });
    const impersonated = (await client.retrieve('accounts', id).catch((caught: unknown) => caught)) as DataverseApiError;
    expect(impersonated.code).toBe('0x80040220');
    expect(impersonated.hint).toMatch(/--as/);
  });

  it('a missing row is exit 6 with the service code', async () => {
    const { client } = clientAs(DEMO.app);
    const error = await client.retrieve('accounts', '00000000-0000-0000-0000-00000000abcd').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataverseApiError);
    expect((error as DataverseApiError).exitCode).toBe(ExitCode.NotFound);
    expect((error as DataverseApiError).status).toBe(404);
  });

  it('an expired token is refused: one refresh attempt, then exit 4 without resending the same token', async () => {
    const expired = emulator().issueToken(DEMO.app, { lifetimeSeconds: -600 });
    const io = bufferIO();
    const client = createDataverseClient({ profile: profileFor(emulator().url), env: { DVAS_ACCESS_TOKEN: expired }, io, dispatcher, verbose: true });
    const error = await client.whoAmI().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ exitCode: ExitCode.Auth, message: expect.stringContaining('DVAS_ACCESS_TOKEN') });
    expect(io.stderrText().match(/^> GET /gm)).toHaveLength(1);
  });

  it('--verbose logs the exchange on stderr with Authorization redacted and never the token', async () => {
    const token = emulator().issueToken(DEMO.app);
    const io = bufferIO();
    const client = createDataverseClient({ profile: profileFor(emulator().url), env: { DVAS_ACCESS_TOKEN: token }, io, dispatcher, verbose: true });
    await client.whoAmI();
    expect(io.stderrText()).toContain(`> GET ${emulator().url}/api/data/v9.2/WhoAmI`);
    expect(io.stderrText()).toContain('> Authorization: REDACTED');
    expect(io.stderrText()).toContain('> OData-Version: 4.0');
    expect(io.stderrText()).toMatch(/< 200 \(\d+ ms\)/);
    expect(io.stderrText()).not.toContain(token);
    expect(io.stdoutText()).toBe('');
  });

  it('--dry-run --offline prints the exact request on stdout, sends nothing and acquires no token', async () => {
    const io = bufferIO();
    const noToken: TokenProvider = { getToken: () => Promise.reject(new Error('a dry run must not sign in')) };
    const before = emulator().core.stats.requests;
    const sam = user(emulator(), DEMO.sam);
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: {},
      io,
      dryRun: { offline: true, format: 'http' },
      tokenProvider: noToken,
      impersonation: { kind: 'entra-object-id', objectId: sam.azureactivedirectoryobjectid ?? '' },
    });
    const error = await client.create('accounts', { name: 'Dry' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DryRunStop);
    expect((error as DryRunStop).exitCode).toBe(ExitCode.Ok);
    const [requestLine, userAgent, ...rest] = io.stdoutText().split('\n');
    expect(requestLine).toBe(`POST ${emulator().url}/api/data/v9.2/accounts`);
    expect(userAgent).toMatch(/^User-Agent: dvas\/\S+ node\/\S+ \S+$/);
    expect(rest).toEqual([
      'Accept: application/json',
      'OData-MaxVersion: 4.0',
      'OData-Version: 4.0',
      'If-None-Match: null',
      'Content-Type: application/json; charset=utf-8',
      `CallerObjectId: ${sam.azureactivedirectoryobjectid}`,
      'Authorization: REDACTED',
      '',
      '{"name":"Dry"}',
      '',
    ]);
    expect(emulator().core.stats.requests).toBe(before);
  });

  it('--dry-run: a GET marked as a lookup is sent (signed in); the first request not marked is printed, not sent', async () => {
    const io = bufferIO();
    const before = emulator().core.requestLog.entries.length;
    const sam = user(emulator(), DEMO.sam);
    const client = createDataverseClient({
      profile: profileFor(emulator().url),
      env: {},
      io,
      dryRun: { offline: false, format: 'http' },
      tokenProvider: { getToken: async () => ({ token: emulator().issueToken(DEMO.admin), expiresOn: new Date(Date.now() + 3_600_000) }) },
    });
    expect((await client.lookups().whoAmI()).UserId).toBe(user(emulator(), DEMO.admin).systemuserid);
    const error = await client.actingAs({ kind: 'systemuserid', systemUserId: sam.systemuserid }).whoAmI().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DryRunStop);
    expect(io.stdoutText()).toMatch(new RegExp(`^GET \\S+/WhoAmI\n[^]*MSCRMCallerID: ${sam.systemuserid}\n[^]*Authorization: REDACTED\n$`));
    expect(io.stderrText()).toMatch(/^Dry run: looking up GET \S+\/WhoAmI\n$/);
    expect(emulator().core.requestLog.entries.slice(before).map((entry) => `${entry.method} ${entry.target}`)).toEqual(['GET /api/data/v9.2/WhoAmI']);
  });

  it('lookups() and actingAs() keep the signed-in name the token gives, for messages', async () => {
    const { client } = clientAs(DEMO.sam);
    const name = await client.signedInName();
    expect(name).toBeTruthy();
    expect(await client.lookups().signedInName()).toBe(name);
    expect(await client.actingAs({ kind: 'systemuserid', systemUserId: user(emulator(), DEMO.riley).systemuserid }).lookups().signedInName()).toBe(name);
  });

  it('--dry-run: a write marked as a lookup is still printed, never sent', async () => {
    const io = bufferIO();
    const before = emulator().core.stats.requests;
    const client = createDataverseClient({ profile: profileFor(emulator().url), env: {}, io, dryRun: { offline: false, format: 'http' }, tokenProvider: { getToken: () => Promise.reject(new Error('no token needed')) } });
    await expect(client.lookups().create('accounts', { name: 'Dry' })).rejects.toBeInstanceOf(DryRunStop);
    expect(io.stdoutText()).toMatch(/^POST /);
    expect(emulator().core.stats.requests).toBe(before);
  });

  it.each(['account', 'accounts', 'Account'])('entityDefinition resolves %s through EntityDefinitions, once per run', async (name) => {
    const { client } = clientAs(DEMO.app);
    const before = emulator().core.stats.requests;
    const definition = await client.entityDefinition(name);
    expect(definition).toEqual({ LogicalName: 'account', EntitySetName: 'accounts', PrimaryIdAttribute: 'accountid', PrimaryNameAttribute: 'name' });
    await client.entityDefinition(name);
    expect(emulator().core.stats.requests).toBe(before + 1);
  });

  it('entityDefinition of an unknown table is exit 6', async () => {
    const { client } = clientAs(DEMO.app);
    await expect(client.entityDefinition('nosuchtable')).rejects.toMatchObject({ exitCode: ExitCode.NotFound, message: 'There is no table "nosuchtable" in this environment.' });
  });

  it('create with returnRepresentation finds the id through the table definition when not told the key column', async () => {
    const { client } = clientAs(DEMO.app);
    const created = await client.create('accounts', { name: 'Client test C' }, { returnRepresentation: true });
    expect(created.id).toBe(created.record?.accountid);
  });

  it('refuses a plain-http environment URL that is not on this machine', () => {
    expect(() => createDataverseClient({ profile: profileFor('http://contoso.crm.dynamics.com'), env: {}, io: bufferIO() })).toThrow(
      /not https/,
    );
  });

  it('refuses to follow a link to another origin (the token would go with it)', async () => {
    const { client } = clientAs(DEMO.app);
    await expect(client.send({ method: 'GET', path: 'https://elsewhere.example.com/api/data/v9.2/accounts' })).rejects.toThrow(/Refusing/);
    expect(client).toBeInstanceOf(DataverseClient);
  });
});
