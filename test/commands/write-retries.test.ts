import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { useRewritingProxy } from '../helpers/rewriting-proxy.js';
import { createRowAs } from '../helpers/rows.js';

/**
 * Issue 9: a write is sent again only when sending it twice cannot do more than sending it once.
 * The answers are lost on purpose by a proxy in front of the emulator, after the emulator carried
 * the request out (the emulator's own dropAfter fault would drop the lookups that come first).
 */
describe('writes after a lost answer: sent again only when it cannot happen twice', () => {
  const emulator = useEmulator();
  const proxy = useRewritingProxy(() => emulator().url);
  const newConfigDir = useTempConfigDir();
  const dvas = (argv: string[]) =>
    runCli(argv, { env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.admin), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' } });
  /** Loses the answer of the first request `matches` says yes to, and counts how often it was sent. */
  function loseFirstAnswer(matches: (request: { method: string; path: string }) => boolean): () => number {
    let seen = 0;
    proxy.dropAnswer((request) => matches(request) && ++seen === 1);
    return () => seen;
  }
  afterEach(() => proxy.dropAnswer(undefined));

  const accountsNamed = (name: string) => [...emulator().core.store.rows('account').values()].filter((row) => row.name === name);

  it('dvas api POST: never sent twice; exit 1, saying it may have been carried out; one row', async () => {
    const sent = loseFirstAnswer((request) => request.method === 'POST');
    const run = await dvas(['api', 'POST', 'accounts', '--data', '{"name":"Api post lost"}']);
    expect(run.code, run.stderr).toBe(ExitCode.Failure);
    expect(run.stderr).toContain('hint: The POST may have reached Dataverse before the connection failed: check whether it took effect before sending it again.');
    expect(sent()).toBe(1);
    expect(accountsNamed('Api post lost')).toHaveLength(1);
  });

  it('dvas api PATCH with If-Match: *: sent again (it cannot create a row), exit 0', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Api patch' });
    const sent = loseFirstAnswer((request) => request.method === 'PATCH');
    const run = await dvas(['api', 'PATCH', `accounts(${id})`, '-H', 'If-Match: *', '--data', '{"telephone1":"555-0177"}']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('dvas: connection failed');
    expect(sent()).toBe(2);
    expect(emulator().core.store.rows('account').get(id)?.telephone1).toBe('555-0177');
  });

  it('dvas api PATCH without If-Match (an upsert, which may create the row): not sent again, exit 1', async () => {
    const sent = loseFirstAnswer((request) => request.method === 'PATCH');
    const run = await dvas(['api', 'PATCH', 'accounts(0f0f0f0f-0000-4000-8000-00000000ab99)', '--data', '{"name":"Api upsert lost"}']);
    expect(run.code, run.stderr).toBe(ExitCode.Failure);
    expect(run.stderr).toContain('hint: The PATCH may have reached Dataverse before the connection failed');
    expect(sent()).toBe(1);
    expect(accountsNamed('Api upsert lost')).toHaveLength(1);
  });

  it('dvas api DELETE: sent again; the 404 of the repeat is the row the first attempt deleted', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Api delete' });
    const sent = loseFirstAnswer((request) => request.method === 'DELETE');
    const run = await dvas(['api', 'DELETE', `accounts(${id})`]);
    expect(sent()).toBe(2);
    expect(emulator().core.store.rows('account').get(id)).toBeUndefined();
    // dvas api shows what the service answered last: the repeat found no row.
    expect(run.code).toBe(ExitCode.NotFound);
  });

  it('dvas associate (POST …/$ref): sent again, since linking twice leaves one link; exit 0, saying the first attempt did it', async () => {
    const nora = user(emulator(), DEMO.nora).systemuserid;
    const team = [...emulator().core.store.rows('team').entries()].find(([, row]) => row.name === 'Delegates')?.[0] ?? '';
    const sent = loseFirstAnswer((request) => request.method === 'POST' && request.path.endsWith('/$ref'));
    const run = await dvas(['associate', 'systemusers', nora, 'teammembership_association', 'teams', team]);
    expect(run.code, run.stderr).toBe(0);
    expect(sent()).toBe(2);
    expect(run.stderr).toContain(`The answer to the first POST was lost; when dvas sent it again, systemusers(${nora}) and teams(${team}) were associated through teammembership_association.`);
    expect([...emulator().core.store.associated('teammembership_association', team, false)]).toContain(nora);
  });

  it('dvas update --if-match ETAG: not sent again (the repeat would meet its own change as a conflict), exit 1', async () => {
    const id = await createRowAs(emulator(), DEMO.admin, 'accounts', { name: 'Versioned' });
    const etag = `W/"${String(emulator().core.store.rows('account').get(id)?.versionnumber)}"`;
    const sent = loseFirstAnswer((request) => request.method === 'PATCH');
    const run = await dvas(['update', 'accounts', id, '--if-match', etag, '--data', '{"telephone1":"555-0178"}']);
    expect(run.code, run.stderr).toBe(ExitCode.Failure);
    expect(run.stderr).toContain('hint: The PATCH may have reached Dataverse before the connection failed');
    expect(sent()).toBe(1);
  });
});
