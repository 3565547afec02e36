import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../../src/emulator/index.js';
import { accountsTagged, expectExactlyTheInput, readReport, taggedAccounts, useSeedCli, writeNdjson } from '../../helpers/bulk-seed.js';
import { DEMO, useEmulator, user } from '../../helpers/emulator.js';

/**
 * Issue 13, "Done when": a multi-user file creates each row as its user, `createdby` and
 * `createdonbehalfby` checked for every row. Signed in as the demo application user; the rows name
 * their users in `@as` in several `--as` forms (an email, a DOMAIN\user name for the on-premises
 * user, a systemuserid), and rows naming none run as `--as`.
 */
describe('dvas create --file with @as: every row created as its user', () => {
  const emulator = useEmulator();
  const cli = useSeedCli(emulator);

  it('createdby is the row\'s user and createdonbehalfby the signed-in identity, for every row', async () => {
    const tag = `U${randomUUID().slice(0, 8)}`;
    const sam = user(emulator(), DEMO.sam);
    const owen = user(emulator(), DEMO.owen);
    const devon = user(emulator(), DEMO.devon);
    const tess = user(emulator(), DEMO.tess);
    const admin = user(emulator(), DEMO.admin);
    const app = user(emulator(), DEMO_APP.email);
    // The user of the n-th row: how the file names it (undefined: none, so --as) and who that is.
    const users = [
      { as: DEMO.sam, who: sam },
      { as: 'CONTOSO\\owen', who: owen },
      { as: devon.systemuserid, who: devon },
      { as: DEMO.tess, who: tess },
      { as: undefined, who: admin },
    ];
    const ROWS = 60;
    const userOf = (n: number) => users[(n - 1) % users.length] as (typeof users)[number];
    const rows = taggedAccounts(tag, ROWS, (n) => (userOf(n).as === undefined ? {} : { '@as': userOf(n).as }));
    const workspace = cli.workspace();
    const file = writeNdjson(workspace.path('rows.ndjson'), rows);
    const report = workspace.path('report.ndjson');
    const from = emulator().requestLog.entries.length;
    const run = await cli.run(workspace, DEMO_APP.clientId, ['create', 'accounts', '--file', file, '--as', DEMO.admin, '--report', report, '--batch-size', '5', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const parsed = readReport(report);
    expectExactlyTheInput(emulator(), tag, ROWS, parsed);

    const wrong: string[] = [];
    for (const row of accountsTagged(emulator(), tag)) {
      const n = Number(String(row.accountnumber).split('-').at(-1));
      const expected = userOf(n).who;
      const createdBy = (row.createdby as { id?: string } | null)?.id;
      const onBehalfBy = (row.createdonbehalfby as { id?: string } | null)?.id;
      if (createdBy !== expected.systemuserid || onBehalfBy !== app.systemuserid) {
        wrong.push(`row ${n}: createdby ${createdBy} (expected ${expected.fullname} ${expected.systemuserid}), createdonbehalfby ${onBehalfBy}`);
      }
    }
    expect(wrong).toEqual([]);
    // The report names each row's user as the input did; rows naming none, as --as did.
    for (let n = 1; n <= ROWS; n++) expect(parsed.finals.get(n)?.user).toBe(userOf(n).as ?? DEMO.admin);
    // Each request that wrote carried exactly one caller header, naming the user of every row in it.
    const mixed: string[] = [];
    for (const request of emulator().requestLog.entries.slice(from).filter((entry) => entry.method === 'POST')) {
      const body = JSON.parse(request.body) as { Targets?: Array<Record<string, unknown>> } & Record<string, unknown>;
      const callers = ['callerobjectid', 'mscrmcallerid'].filter((name) => request.headers[name] !== undefined);
      const caller = callers.length === 1 ? request.headers[callers[0] as string] : undefined;
      for (const target of body.Targets ?? [body]) {
        const expected = userOf(Number(String(target.accountnumber).split('-').at(-1))).who;
        if (caller === undefined || (caller !== expected.systemuserid && caller !== expected.azureactivedirectoryobjectid)) {
          mixed.push(`${request.target} with ${callers.map((name) => `${name}: ${request.headers[name]}`).join(', ') || 'no caller header'} carried ${String(target.accountnumber)} of ${expected.fullname}`);
        }
      }
    }
    expect(mixed).toEqual([]);
    // Sam and devon are named by different forms but are different people: no form resolved to another user.
    expect(new Set(accountsTagged(emulator(), tag).map((row) => (row.createdby as { id: string }).id)).size).toBe(users.length);
  }, 60_000);
});
