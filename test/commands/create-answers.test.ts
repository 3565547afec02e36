import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { useRewritingProxy, type ProxiedAnswer } from '../helpers/rewriting-proxy.js';

/**
 * Issue 12, "a create that happened must never look failed": answers the emulator does not give
 * (Microsoft's documentation shows them), produced by a proxy in front of it. A script that sees a
 * failure retries and makes a duplicate, so in each case the row exists, its id is printed, and
 * the exit code says so.
 */
describe('dvas create: the row was created, whatever the answer looks like', () => {
  const emulator = useEmulator();
  const proxy = useRewritingProxy(() => emulator().url);
  const newConfigDir = useTempConfigDir();
  const dvas = (who: string, argv: string[]) =>
    runCli(argv, {
      env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(who), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
    });
  const accountsNamed = (name: string) => [...emulator().core.store.rows('account').values()].filter((row) => row.name === name);
  const isCreate = (request: { method: string; path: string }) => request.method === 'POST' && /\/accounts$/.test(request.path);
  const isReadBack = (request: { method: string; path: string }) => request.method === 'GET' && /\/accounts\([0-9a-f-]{36}\)/.test(request.path);

  it('an OData-EntityId whose id dvas cannot parse (four groups, as in the docs): exit 0 and the id dvas gave the row', async () => {
    proxy.rewrite((request, answer) =>
      isCreate(request) ? { ...answer, headers: { ...answer.headers, 'odata-entityid': `${emulator().apiUrl}accounts(00000000-0000-0000-000000000003)` } } : answer,
    );
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--data', '{"name":"Odd entity id"}']);
    proxy.rewrite(undefined);
    expect(run.code, run.stderr).toBe(0);
    const [row] = accountsNamed('Odd entity id');
    expect(run.json()).toEqual({ id: row?.accountid });
    expect(run.stderr).not.toContain('unexpected shape');
  });

  it.each([
    [404, 'not found', '0x80040217', 'account With Id = x Does Not Exist'],
    [400, 'bad request', '0x0', "Could not find a property named 'createdonbehalfby' on type 'Microsoft.Dynamics.CRM.account'."],
  ])('under --as, a read-back answered %i (%s): exit 0, the id printed, and a warning saying why the check could not be made', async (status, _label, code, message) => {
    const name = `Read-back ${status}`;
    proxy.rewrite((request, answer): ProxiedAnswer => (isReadBack(request) ? { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code, message } }) } : answer));
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--as', DEMO.sam, '--data', JSON.stringify({ name })]);
    proxy.rewrite(undefined);
    expect(run.code, run.stderr).toBe(0);
    const [row] = accountsNamed(name);
    expect(run.json()).toMatchObject({ id: row?.accountid, createdby: null });
    expect(run.stderr).toContain(`warning: Created accounts(${String(row?.accountid)}), but could not read it back to check that it was created as Sam Sales`);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('✓');
  });

  it('under --as, a read-back without _createdby_value does not claim the check was made', async () => {
    proxy.rewrite((request, answer) => {
      if (!isReadBack(request) || answer.status !== 200) return answer;
      const row = JSON.parse(answer.body) as Record<string, unknown>;
      for (const key of Object.keys(row)) if (key.startsWith('_createdby_value')) delete row[key];
      return { ...answer, body: JSON.stringify(row) };
    });
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--as', DEMO.sam, '--data', '{"name":"No createdby"}']);
    proxy.rewrite(undefined);
    expect(run.code, run.stderr).toBe(0);
    const [row] = accountsNamed('No createdby');
    expect(run.json()).toMatchObject({ id: row?.accountid, createdby: null });
    expect(run.stderr).toContain('Dataverse gave no createdby for it, so dvas could not check that it was created as Sam Sales');
    expect(run.stderr).not.toContain(`Created accounts(${String(row?.accountid)}) as`);
  });
});
