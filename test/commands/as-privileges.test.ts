import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY } from '../helpers/impersonation-seed.js';

/**
 * Privilege failures under --as. Dataverse allows only what both the signed-in identity and the
 * user acted as may do, and its PrivilegeDenied message names the user acted as even when it is
 * the signed-in identity that lacks the privilege (the emulator reproduces this). dvas asks which
 * of the two holds the privilege and says who really lacks it, keeping the code and exit 5.
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const rowCount = (table: string) => emulator().core.store.rows(table).size;

describe('0x80040220 PrivilegeDenied under --as', () => {
  it('the user acted as lacks it: the demo app as Riley Reader creating an account', async () => {
    const accounts = rowCount('account');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"Riley\'s account"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain(
      'error: Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it. [0x80040220]',
    );
    expect(run.stderr).toContain('hint: Under --as Dataverse allows only what both the signed-in identity and the user acted as may do');
    expect(rowCount('account')).toBe(accounts);
  });

  it('the signed-in identity lacks it though the message names the user acted as: the demo app as Alex Admin creating a team', async () => {
    const alex = user(emulator(), DEMO.admin);
    const run = await dvas(DEMO_APP.clientId, ['create', 'teams', '--verbose', '--as', DEMO.admin, '--data', '{"name":"Alex\'s team"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain(
      "error: The signed-in identity (dvas demo app) lacks prvCreateTeam; Alex Admin (admin@contoso.com) holds it, though Dataverse's message names Alex Admin. [0x80040220]",
    );
    // What Dataverse itself said (under --verbose) does name Alex as the principal: the quirk seen through.
    expect(run.stderr).toContain(`Dataverse said: Principal user (Id=${alex.systemuserid}, type=8`);
    expect(run.stderr).toContain('is missing prvCreateTeam privilege');
  });

  it('both lack it: the demo app as Riley Reader creating a team', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'team', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain('error: Both the signed-in identity (dvas demo app) and Riley Reader (riley.reader@contoso.com) lack prvCreateTeam. [0x80040220]');
  });

  it('both hold it, but not at a depth that reaches the row: Sam Sales binding a contact to an account of Alex', async () => {
    const fourthCoffee = [...emulator().core.store.rows('account').values()].find((row) => row.name === 'Fourth Coffee');
    const contact = { lastname: 'Depth', 'parentcustomerid_account@odata.bind': `/accounts(${String(fourthCoffee?.accountid)})` };
    const run = await dvas(DEMO_APP.clientId, ['create', 'contacts', '--as', DEMO.sam, '--data', JSON.stringify(contact)]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain(
      'error: Both the signed-in identity (dvas demo app) and Sam Sales (sam.sales@contoso.com) hold prvAppendToAccount (at Global and Basic depth), ' +
        'but not at a depth that reaches this row: under --as the shallower of the two applies. [0x80040220]',
    );
  });

  it('keeps the Dataverse code and status in the JSON error', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.json()).toEqual({
      error: {
        code: '0x80040220',
        status: 403,
        message: 'Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it.',
        hint: expect.stringContaining('dvas roles <user>'),
      },
    });
  });

  it('without --as there is no quirk to see through: the service message stands', async () => {
    const run = await dvas(DEMO.riley, ['create', 'accounts', '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/^error: Principal user \(Id=[0-9a-f-]+, .* is missing prvCreateAccount privilege/);
  });
});

describe('0x8004A110: the signed-in identity may not act on behalf of another user', () => {
  it('Devon Delegate holds Delegate only through a team, which does not count', async () => {
    const sam = user(emulator(), DEMO.sam);
    const devon = user(emulator(), DEMO.devon);
    const run = await dvas(DEMO.devon, ['whoami', '--as', sam.systemuserid]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain(
      `error: The signed-in identity (${devon.systemuserid}) holds prvActOnBehalfOfAnotherUser only through a team, and that does not count: ` +
        'it may act on behalf of another user only through a role assigned to it directly. [0x8004A110]',
    );
    expect(run.stderr).toContain('hint: Assign the signed-in identity a security role with prvActOnBehalfOfAnotherUser (such as Delegate) directly');
  });

  it('the same for create, and nothing is created', async () => {
    const accounts = rowCount('account');
    const run = await dvas(DEMO.devon, ['create', 'accounts', '-o', 'json', '--as', user(emulator(), DEMO.sam).systemuserid, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.json()).toMatchObject({ error: { code: '0x8004A110', status: 403, message: expect.stringContaining('only through a team') } });
    expect(rowCount('account')).toBe(accounts);
  });

  it('an identity without the privilege at all is told it lacks it', async () => {
    const run = await dvas(DEMO.nora, ['whoami', '--as', user(emulator(), DEMO.sam).systemuserid]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/^error: The signed-in identity \([0-9a-f-]+\) may not act on behalf of another user: it lacks prvActOnBehalfOfAnotherUser\. \[0x8004A110\]/);
  });
});

describe('when the signed-in identity may not read the other user\'s privileges', () => {
  const seeded = useEmulator({ seed: demoSeedWith(IVY) });
  const dvasSeeded = dvasAgainst(seeded);

  it('asks as the user acted as, who may always read their own', async () => {
    // Ivy may impersonate and create accounts, but may not read users (nor their privileges).
    const riley = user(seeded(), DEMO.riley);
    const ivy = user(seeded(), IVY.email);
    const run = await dvasSeeded(IVY.email, ['create', 'accounts', '--as', riley.systemuserid, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toContain(`error: ${riley.systemuserid} lacks prvCreateAccount; the signed-in identity (${ivy.systemuserid}) holds it. [0x80040220]`);
  });
});
