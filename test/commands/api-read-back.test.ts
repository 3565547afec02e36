import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { useRewritingProxy, type ProxiedAnswer } from '../helpers/rewriting-proxy.js';
import { createRowAs } from '../helpers/rows.js';

/**
 * The read-back of dvas api under --as must be able to fail: a proxy makes the row read back say
 * that the signed-in identity wrote it (what Dataverse does when it ignores the impersonation).
 */
describe('dvas api under --as: the read-back catches a write that ran as the signed-in identity', () => {
  const emulator = useEmulator();
  const proxy = useRewritingProxy(() => emulator().url);
  const newConfigDir = useTempConfigDir();
  const dvas = (argv: string[]) =>
    runCli(argv, { env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulator().issueToken(DEMO.admin), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' } });
  afterEach(() => proxy.rewrite(undefined));

  /** The read-back of a row answers that Alex Admin (the signed-in identity) wrote it. */
  function readBackSaysAdmin(column: '_createdby_value' | '_modifiedby_value'): void {
    const admin = user(emulator(), DEMO.admin).systemuserid;
    proxy.rewrite((request, answer): ProxiedAnswer => {
      if (request.method !== 'GET' || !/\/accounts\([0-9a-f-]{36}\)\?/.test(request.path)) return answer;
      const row = JSON.parse(answer.body) as Record<string, unknown>;
      return { ...answer, body: JSON.stringify({ ...row, [column]: admin, [`${column}@OData.Community.Display.V1.FormattedValue`]: 'Alex Admin' }) };
    });
  }

  it('a POST that created a row: exit 8, naming the row and who it ran as', async () => {
    readBackSaysAdmin('_createdby_value');
    const run = await dvas(['api', 'POST', 'accounts', '--data', '{"name":"Read back lies"}', '--as', DEMO.sam]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toMatch(/^error: Dataverse created accounts\([0-9a-f-]{36}\) as the signed-in identity \(Alex Admin\), not as Sam Sales \(sam\.sales@contoso\.com\): Dataverse did not apply the impersonation\./);
    expect(run.stdout).toBe('');
  });

  it('a PATCH of a row: exit 8 on modifiedby', async () => {
    const id = await createRowAs(emulator(), DEMO.sam, 'accounts', { name: 'Patched, read back' });
    readBackSaysAdmin('_modifiedby_value');
    const run = await dvas(['api', 'PATCH', `accounts(${id})`, '-H', 'If-Match: *', '--data', '{"telephone1":"2"}', '--as', DEMO.sam]);
    expect(run.code, run.stderr).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toContain(`error: Dataverse changed accounts(${id}) as the signed-in identity (Alex Admin), not as Sam Sales`);
  });

  it('without the rewrite the same requests pass the check (exit 0)', async () => {
    const run = await dvas(['api', 'POST', 'accounts', '--data', '{"name":"Read back true"}', '--as', DEMO.sam]);
    expect(run.code, run.stderr).toBe(0);
  });
});
