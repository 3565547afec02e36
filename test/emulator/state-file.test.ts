import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { api, DEMO, user } from '../helpers/emulator.js';
import { EXAMPLE_SEED, firstLine, useDvasProcesses, type DvasProcess } from '../helpers/emulator-process.js';

interface StartupInfo {
  url: string;
  apiUrl: string;
  tenantId: string;
  authority: string;
  clientId: string;
  clientSecret: string;
  state: { file: string; loaded: boolean } | null;
}

/** A token as any client gets one from the running emulator: client credentials with the printed secret. */
async function appToken(info: StartupInfo): Promise<string> {
  const response = await fetch(`${info.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: info.clientId, client_secret: info.clientSecret, scope: `${info.url}/.default` }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function webApi(info: StartupInfo, method: string, path: string, body?: unknown) {
  const response = await fetch(`${info.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await appToken(info)}`,
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, json: (await response.text().then((text) => (text ? JSON.parse(text) : undefined))) as any };
}

function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'dvas-state-'));
}

describe('dvas emulator --state FILE', () => {
  const spawnDvas = useDvasProcesses();

  async function startWith(args: string[]): Promise<{ started: DvasProcess; info: StartupInfo }> {
    const started = spawnDvas(['emulator', '--json', ...args]);
    return { started, info: JSON.parse(await firstLine(started)) as StartupInfo };
  }

  it('keeps a row created through the Web API across a stop with SIGTERM and a new start', async () => {
    const file = join(temporaryDirectory(), 'org.json');
    const first = await startWith(['--state', file]);
    expect(first.info.state).toEqual({ file, loaded: false });
    const created = await webApi(first.info, 'POST', 'accounts', { name: 'Survives a restart' });
    expect(created.status).toBe(204);
    const id = /accounts\(([0-9a-f-]{36})\)/.exec(created.headers.get('odata-entityid') ?? '')?.[1];
    expect(id).toBeDefined();
    first.started.child.kill('SIGTERM');
    expect(await first.started.exited).toEqual({ code: 0, signal: null });
    expect(first.started.stderr()).toBe('');

    const second = await startWith(['--state', file]);
    expect(second.info.state).toEqual({ file, loaded: true });
    expect(second.info.url).not.toBe(first.info.url);
    const read = await webApi(second.info, 'GET', `accounts(${id})?$select=name`);
    expect(read.status).toBe(200);
    expect(read.json.name).toBe('Survives a restart');
    second.started.child.kill('SIGINT');
    expect((await second.started.exited).code).toBe(130);
    // Saved atomically: the file and nothing half-written beside it.
    expect(readdirSync(join(file, '..'))).toEqual(['org.json']);
  });

  it('starts from --seed only while the file does not exist; then the file is the organisation', async () => {
    const file = join(temporaryDirectory(), 'org.json');
    const seeded = await startWith(['--state', file, '--seed', EXAMPLE_SEED]);
    seeded.started.child.kill('SIGTERM');
    await seeded.started.exited;
    const again = await startWith(['--state', file]);
    expect(again.info.state?.loaded).toBe(true);
    expect(again.info.tenantId).toBe(seeded.info.tenantId);
    again.started.child.kill('SIGTERM');
    await again.started.exited;
    const demo = await startWith([]);
    expect(demo.info.tenantId).not.toBe(seeded.info.tenantId);
    demo.started.child.kill('SIGTERM');
    await demo.started.exited;
  });

  it.each([
    ['not JSON', '{"format": ', /^error: The state file .*org\.json is not valid JSON: [^\n]+\.\n/],
    ['JSON of something else', '{"rows": []}', /^error: The file .*org\.json is not a dvas emulator state file \(version 1\): [^\n]+\.\n/],
  ])('refuses a file that is %s in one sentence, exit 2, and leaves it as it was', async (_what, contents, message) => {
    const file = join(temporaryDirectory(), 'org.json');
    writeFileSync(file, contents);
    const started = spawnDvas(['emulator', '--json', '--state', file]);
    expect((await started.exited).code).toBe(2);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toMatch(message);
    expect(started.stderr()).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe(contents);
  });

  it('refuses a state file it cannot use before serving anything, exit 2', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'a-file'), '');
    const started = spawnDvas(['emulator', '--json', '--state', join(directory, 'a-file', 'org.json')]);
    expect((await started.exited).code).toBe(2);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toMatch(/^error: Cannot read the state file .*a-file\/org\.json: ENOTDIR\.\n/);
  });
});

describe('startEmulator({ stateFile })', () => {
  it('restores rows, N:N pairs, alternate keys and the row version, so that ETags keep growing', async () => {
    const file = join(temporaryDirectory(), 'org.json');
    const first = await startEmulator({ stateFile: file });
    expect(existsSync(file)).toBe(true);
    const created = await api(first, 'POST', 'accounts', { body: { name: 'Kept', accountnumber: 'KEPT-1' }, headers: { Prefer: 'return=representation' } });
    expect(created.status).toBe(201);
    const team = [...first.core.store.rows('team').values()].find((row) => row.name !== first.core.organizationName);
    const teamId = String(team?.teamid);
    const nora = user(first, DEMO.nora).systemuserid;
    const joined = await api(first, 'POST', `teams(${teamId})/teammembership_association/$ref`, { as: DEMO.admin, body: { '@odata.id': `${first.apiUrl}systemusers(${nora})` } });
    expect(joined.status).toBe(204);
    await first.close();

    const second = await startEmulator({ stateFile: file });
    expect(second.state).toEqual({ file, loaded: true });
    const kept = await api(second, 'GET', `accounts(${created.json.accountid})`);
    expect(kept.status).toBe(200);
    expect(kept.json['@odata.etag']).toBe(created.json['@odata.etag']);
    const members = await api(second, 'GET', `teams(${teamId})/teammembership_association?$select=systemuserid`);
    expect(members.json.value.map((member: { systemuserid: string }) => member.systemuserid)).toContain(nora);
    // The alternate key on accountnumber sees the restored rows.
    const byKey = await api(second, 'GET', `accounts(accountnumber='KEPT-1')?$select=name`);
    expect(byKey.json.name).toBe('Kept');
    expect((await api(second, 'POST', 'accounts', { body: { name: 'Twin', accountnumber: 'KEPT-1' } })).status).toBe(412);
    const later = await api(second, 'POST', 'accounts', { body: { name: 'Later' }, headers: { Prefer: 'return=representation' } });
    expect(Number(later.json.versionnumber)).toBeGreaterThan(Number(created.json.versionnumber));
    await second.close();
  });
});
