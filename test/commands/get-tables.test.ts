import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataverseClient } from '../../src/dataverse/create-client.js';
import { createHttpDispatcher } from '../../src/http/dispatcher.js';
import { createColors } from '../../src/output/colors.js';
import { createMessages } from '../../src/output/messages.js';
import { resolveTable } from '../../src/tables/resolve-table.js';
import { TABLE_CACHE_TTL_MS, tableCacheFile } from '../../src/tables/table-cache.js';
import { bufferIO, useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * Table names resolved through EntityDefinitions (logical or entity set name) and remembered across
 * runs in <config dir>/table-cache.json; every lookup here goes to a real emulator over HTTP.
 */
const emulator = useEmulator();
const newConfigDir = useTempConfigDir();
const dispatcher = createHttpDispatcher({});
afterAll(() => dispatcher.close());

function setup(options: { now?: Date; dryRun?: 'online' | 'offline' } = {}) {
  const configDir = newConfigDir();
  const io = bufferIO();
  const env = { DVAS_CONFIG_DIR: configDir, DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.app) };
  let now = options.now ?? new Date('2026-03-01T10:00:00Z');
  const client = createDataverseClient({
    profile: { name: 'test', url: emulator().url, auth: 'token', apiVersion: 'v9.2' },
    env,
    io,
    dispatcher,
    cacheFile: '/nonexistent/never-used.json',
    ...(options.dryRun ? { dryRun: { offline: options.dryRun === 'offline', format: 'http' as const } } : {}),
  });
  const ctx = { env, now: () => now, messages: createMessages(io.stderr, createColors(io, {}, false).stderr), options: { offline: options.dryRun === 'offline' } };
  return {
    client,
    ctx,
    io,
    env,
    advance: (ms: number) => void (now = new Date(now.getTime() + ms)),
    requests: () => emulator().stats.requests,
  };
}

describe('resolveTable', () => {
  it.each([
    ['the entity set name', 'accounts'],
    ['the logical name', 'account'],
    ['a differently cased name', 'Account'],
  ])('finds a table by %s', async (_, name) => {
    const { client, ctx } = setup();
    expect(await resolveTable(client, name, ctx)).toEqual({
      LogicalName: 'account',
      EntitySetName: 'accounts',
      PrimaryIdAttribute: 'accountid',
      PrimaryNameAttribute: 'name',
    });
  });

  it('asks the service once, then reads the cache file (a new client stands in for the next run)', async () => {
    const first = setup();
    const before = first.requests();
    await resolveTable(first.client, 'contacts', first.ctx);
    expect(first.requests() - before).toBe(1);
    const file = tableCacheFile(first.env);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = createDataverseClient({ profile: { name: 'test', url: emulator().url, auth: 'token', apiVersion: 'v9.2' }, env: first.env, io: first.io, dispatcher, cacheFile: '/nonexistent' });
    const afterFirst = first.requests();
    // By the other name: the entry answers to both.
    expect((await resolveTable(second, 'contact', first.ctx)).EntitySetName).toBe('contacts');
    expect(first.requests()).toBe(afterFirst);
  });

  it('asks again once the entry is older than the TTL', async () => {
    const run = setup();
    await resolveTable(run.client, 'accounts', run.ctx);
    run.advance(TABLE_CACHE_TTL_MS + 1);
    const before = run.requests();
    const fresh = createDataverseClient({ profile: { name: 'test', url: emulator().url, auth: 'token', apiVersion: 'v9.2' }, env: run.env, io: run.io, dispatcher, cacheFile: '/nonexistent' });
    await resolveTable(fresh, 'accounts', run.ctx);
    expect(run.requests() - before).toBe(1);
  });

  it('keeps environments apart: an entry for another origin is not used', async () => {
    const run = setup();
    const file = tableCacheFile(run.env);
    mkdirSync(dirname(file), { recursive: true });
    const entry = { LogicalName: 'account', EntitySetName: 'wrongs', PrimaryIdAttribute: 'accountid', PrimaryNameAttribute: 'name', cachedAt: '2026-03-01T09:59:00Z' };
    writeFileSync(file, JSON.stringify({ version: 1, environments: { 'https://other.crm.dynamics.com': [entry] } }));
    expect((await resolveTable(run.client, 'account', run.ctx)).EntitySetName).toBe('accounts');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved.environments).sort()).toEqual([emulator().url, 'https://other.crm.dynamics.com'].sort());
  });

  it('treats an unreadable cache file as empty and replaces it', async () => {
    const run = setup();
    const file = tableCacheFile(run.env);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{not json');
    expect((await resolveTable(run.client, 'accounts', run.ctx)).LogicalName).toBe('account');
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('an unknown table is exit 6 and is not remembered', async () => {
    const run = setup();
    await expect(resolveTable(run.client, 'nosuchtable', run.ctx)).rejects.toMatchObject({ exitCode: 6 });
    expect(() => readFileSync(tableCacheFile(run.env), 'utf8')).toThrow();
  });

  it('a name that cannot be a table is exit 2 before any request', async () => {
    const run = setup();
    const before = run.requests();
    await expect(resolveTable(run.client, 'accounts?$top=1', run.ctx)).rejects.toMatchObject({ exitCode: 2 });
    expect(run.requests()).toBe(before);
  });

  it('under --dry-run an uncached table is looked up for real (a lookup) and cached; nothing is printed', async () => {
    const run = setup({ dryRun: 'online' });
    const before = run.requests();
    await expect(resolveTable(run.client, 'accounts', run.ctx)).resolves.toMatchObject({ EntitySetName: 'accounts' });
    expect(run.requests()).toBe(before + 1);
    expect(run.io.stdoutText()).toBe('');
    expect(run.io.stderrText()).toMatch(/^Dry run: looking up GET \S+\/EntityDefinitions\?/);
    expect(Object.keys(JSON.parse(readFileSync(tableCacheFile(run.env), 'utf8')) as object).length).toBeGreaterThan(0);
  });

  it('under --dry-run --offline an uncached table prints the lookup as the first request, and says so', async () => {
    const run = setup({ dryRun: 'offline' });
    const before = run.requests();
    await expect(resolveTable(run.client, 'accounts', run.ctx)).rejects.toMatchObject({ name: 'DryRunStop' });
    expect(run.io.stderrText()).toContain('would first look up the table "accounts"');
    expect(run.io.stdoutText()).toMatch(/^GET .*\/EntityDefinitions\?/);
    expect(run.requests()).toBe(before);
  });
});
