import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * The id argument stays a key (issue 12): whatever is typed as a row's id or alternate key, the
 * request goes to that table's row, or nothing is sent.
 */
describe('bad input: path characters in ids and keys', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);

  const escapes = (id: string) => [
    ['a key that climbs out of the table', `accountnumber='x')/../../v9.2/systemusers(${id}`],
    ['a key that adds a query', "accountnumber='x')?$select=fullname&x=("],
    ['a key that adds a fragment', "accountnumber='x')#"],
    ['a bare path', `../systemusers(${id})`],
    ['a quoted value holding a slash', "accountnumber='../../systemusers'"],
    ['an unquoted text value', 'accountnumber=x'],
    ['an escape sequence', "accountnumber='\u001b[2J'"],
  ];

  it.each(['get', 'update', 'delete'])('%s: exit 2, one sentence, no stack, nothing sent', async (command) => {
    const admin = user(emulator(), DEMO.admin).systemuserid;
    for (const [label, key] of escapes(admin)) {
      const before = emulator().stats.requests;
      const extra = command === 'update' ? ['--data', '{"name":"x"}'] : command === 'delete' ? ['--yes'] : [];
      const run = await dvas(DEMO_APP.clientId, [command, 'accounts', key as string, ...extra]);
      expect(run.code, `${command} ${label}: ${run.stderr}`).toBe(ExitCode.Usage);
      expect(run.stdout, label).toBe('');
      expect(run.stderr, label).toMatch(/^error: The id [^\n]*\.\nhint: [^\n]+\n$/);
      expect(run.stderr, label).not.toMatch(/\u001b|    at /);
      expect(emulator().stats.requests, label).toBe(before);
    }
  });

  it.each(['associate', 'disassociate'])('%s: either id, exit 2, one sentence, no stack, nothing sent', async (command) => {
    const admin = user(emulator(), DEMO.admin).systemuserid;
    for (const [label, key] of escapes(admin)) {
      for (const [which, argv] of [
        ['first', ['contacts', key as string, 'parentcustomerid_account', 'accounts', admin]],
        ['second', ['contacts', admin, 'parentcustomerid_account', 'accounts', key as string]],
      ] as const) {
        const before = emulator().stats.requests;
        const run = await dvas(DEMO_APP.clientId, [command, ...argv]);
        expect(run.code, `${command} ${label}: ${run.stderr}`).toBe(ExitCode.Usage);
        expect(run.stdout, label).toBe('');
        expect(run.stderr, label).toMatch(new RegExp(`^error: The ${which} id [^\\n]*\\.\\nhint: [^\\n]+\\n$`));
        expect(run.stderr, label).not.toMatch(/\u001b|    at /);
        expect(emulator().stats.requests, label).toBe(before);
      }
    }
  });

  it('a key with commas, parentheses, quotes and spaces in its values goes out percent-encoded, as one key of the table', async () => {
    const run = await dvas(DEMO_APP.clientId, ['get', 'accounts', "accountnumber='O''Neil (1), =2'", '--verbose']);
    const sent = loggedRequests(run.stderr).find((request) => request.line.startsWith('GET accounts('));
    expect(sent?.line).toBe("GET accounts(accountnumber='O''Neil%20%281%29%2C%20%3D2')");
  });
});
