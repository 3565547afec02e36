import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli, useTempConfigDir } from '../helpers/cli.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { useRewritingProxy } from '../helpers/rewriting-proxy.js';
import { demoSeed } from '../../src/emulator/seed/demo.js';
import type { SeedDocument } from '../../src/emulator/seed/types.js';
import { demoSeedWith, IVY } from '../helpers/impersonation-seed.js';

/** Reads users and roles (Salesperson lacks prvReadRole, so a Role Reader role), and holds Delegate only through a team. */
const RORY = { fullname: 'Rory Reviewer', email: 'rory.reviewer@contoso.com', roles: ['Salesperson', 'Role Reader'] };
function teamDelegateWhoReadsRoles(): SeedDocument {
  const seed = demoSeed();
  return {
    ...seed,
    roles: [...(seed.roles ?? []), { name: 'Role Reader', privileges: { prvReadRole: 'Global', prvReadUser: 'Global', prvReadTeam: 'Global' } }],
    users: [...(seed.users ?? []), RORY],
    teams: [...(seed.teams ?? []), { name: 'Reviewers', members: [RORY.email], roles: ['Delegate'] }],
  };
}

/**
 * The diagnosis of every privilege denial (issue 8), against the demo organisation, through the
 * real CLI: the service's code and message come first, unchanged, then who really lacks which
 * privilege at which depth, why the row is out of reach, and which roles grant it. Under --as the
 * service's message names the user acted as even when the signed-in identity lacks the privilege
 * (the emulator reproduces this); dvas reads both sides' roles and says which. Each case also checks
 * that the service really refused (nothing written, exit 5).
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);
const rowCount = (table: string) => emulator().core.store.rows(table).size;
const accountNamed = (name: string) => {
  const row = [...emulator().core.store.rows('account').values()].find((candidate) => candidate.name === name);
  if (!row) throw new Error(`no account ${name}`);
  return row;
};
/** The lines under `diagnosis:`, without the indentation. */
const diagnosisOf = (stderr: string): string[] => {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => line.startsWith('diagnosis: '));
  if (start === -1) return [];
  const found = [(lines[start] as string).slice('diagnosis: '.length)];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    found.push(line.slice(2));
  }
  return found;
};
const ALL_ACCOUNT_CREATORS = 'Roles that grant prvCreateAccount: Account Manager, dvas Integration, Salesperson, System Administrator.';

describe('0x80040220 under --as: who really lacks the privilege', () => {
  it('the user acted as lacks it: the demo app as Riley Reader creating an account', async () => {
    const accounts = rowCount('account');
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"Riley\'s account"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(rowCount('account')).toBe(accounts);
    // The service's own words first, code and all.
    expect(run.stderr).toMatch(/^error: Principal user \(Id=[0-9a-f-]+, type=8, .*is missing prvCreateAccount privilege .*\[0x80040220\]\n/);
    const diagnosis = diagnosisOf(run.stderr);
    expect(diagnosis[0]).toBe(
      'Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.',
    );
    expect(diagnosis).toContain(ALL_ACCOUNT_CREATORS);
  });

  it('the signed-in identity lacks it though the message names the user acted as: the demo app as Alex Admin creating a team', async () => {
    const alex = user(emulator(), DEMO.admin);
    const run = await dvas(DEMO_APP.clientId, ['create', 'teams', '--as', DEMO.admin, '--data', '{"name":"Alex\'s team"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    // Dataverse names Alex as the principal…
    expect(run.stderr).toMatch(new RegExp(`^error: Principal user \\(Id=${alex.systemuserid}, type=8.*is missing prvCreateTeam privilege`));
    // …and dvas says it is the application that lacks it.
    const diagnosis = diagnosisOf(run.stderr);
    expect(diagnosis[0]).toBe(
      "The signed-in identity (dvas demo app) lacks prvCreateTeam, not Alex Admin (admin@contoso.com), whom Dataverse's message names; " +
        'Alex Admin (admin@contoso.com) holds it at Global (Organization) depth through System Administrator.',
    );
    expect(diagnosis).toContain('Roles that grant prvCreateTeam: System Administrator.');
  });

  it('both lack it: the demo app as Riley Reader creating a team', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'team', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)[0]).toBe('Both the signed-in identity (dvas demo app) and Riley Reader (riley.reader@contoso.com) lack prvCreateTeam.');
  });

  it('a user whose roles come only through a team: the demo app as Tess Team (Salesperson through Sales Team) creating a team', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'teams', '--as', DEMO.tess, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)[0]).toBe('Both the signed-in identity (dvas demo app) and Tess Team (tess.team@contoso.com) lack prvCreateTeam.');
  });

  it('a user with no roles: the demo app as Nora NoRoles creating an account', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.nora, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)[0]).toBe(
      'Nora NoRoles (nora.noroles@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.',
    );
  });
});

describe('0x80040220 without --as', () => {
  it('the signed-in identity lacks it: Riley Reader creating an account (she may not read roles, nor her own user row)', async () => {
    const riley = user(emulator(), DEMO.riley);
    const run = await dvas(DEMO.riley, ['create', 'accounts', '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/^error: Principal user \(Id=[0-9a-f-]+, .* is missing prvCreateAccount privilege/);
    expect(diagnosisOf(run.stderr)).toEqual([
      // Nor may she read her own row: her token names her.
      `The signed-in identity (${String(riley.fullname)}) lacks prvCreateAccount.`,
      'The signed-in identity may not read security roles (prvReadRole), so dvas cannot say through which role each holds it, nor which roles would grant it.',
    ]);
  });

  it('an identity that may read roles is told which grant it: the demo app creating a team', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'teams', '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)).toEqual(['The signed-in identity (dvas demo app) lacks prvCreateTeam.', 'Roles that grant prvCreateTeam: System Administrator.']);
    expect(run.stderr).toContain('hint: Assign the signed-in identity (dvas demo app) a security role that grants prvCreateTeam (System Administrator)');
  });
});

describe('0x80040220 on a row the depth does not reach', () => {
  it('the demo app as Sam Sales (prvWriteAccount at Basic) updating Fourth Coffee, which Alex owns in the parent business unit', async () => {
    const fourthCoffee = accountNamed('Fourth Coffee');
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', String(fourthCoffee.accountid), '--as', DEMO.sam, '--data', '{"telephone1":"555"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(accountNamed('Fourth Coffee').telephone1).not.toBe('555');
    const diagnosis = diagnosisOf(run.stderr);
    expect(diagnosis[0]).toBe('Sam Sales (sam.sales@contoso.com) holds prvWriteAccount only at Basic (User) depth; this row needs Global (Organization).');
    expect(diagnosis).toContain(
      'The row (owned by Alex Admin, in Contoso) is out of reach for Sam Sales (sam.sales@contoso.com): Basic (User) depth does not reach it ' +
        '(it would need Global (Organization)), they do not own it, and it is shared with nobody.',
    );
    expect(diagnosis).toContain('Roles that grant prvWriteAccount: Account Manager, dvas Integration, Salesperson, System Administrator.');
    expect(run.stderr).toContain('hint: Give Sam Sales (sam.sales@contoso.com) prvWriteAccount at Global (Organization) depth through a role');
  });

  it('AppendTo on create: the row the body binds to, a contact of Sam\'s under Fourth Coffee', async () => {
    const fourthCoffee = accountNamed('Fourth Coffee');
    const contacts = rowCount('contact');
    const contact = { lastname: 'Depth', 'parentcustomerid_account@odata.bind': `/accounts(${String(fourthCoffee.accountid)})` };
    const run = await dvas(DEMO_APP.clientId, ['create', 'contacts', '--as', DEMO.sam, '--data', JSON.stringify(contact)]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(rowCount('contact')).toBe(contacts);
    expect(run.stderr).toMatch(/^error: Principal user .* is missing prvAppendToAccount privilege/);
    const diagnosis = diagnosisOf(run.stderr);
    expect(diagnosis[0]).toBe('Sam Sales (sam.sales@contoso.com) holds prvAppendToAccount only at Basic (User) depth; this row needs Global (Organization).');
    expect(diagnosis).toContain(
      'The row (owned by Alex Admin, in Contoso) is out of reach for Sam Sales (sam.sales@contoso.com): Basic (User) depth does not reach it ' +
        '(it would need Global (Organization)), they do not own it, and it is shared with nobody.',
    );
  });

  it('a row named by an alternate key is reasoned about the same way', async () => {
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', "accountnumber='ACC-001'", '--as', DEMO.sam, '--data', '{"telephone1":"555"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    const diagnosis = diagnosisOf(run.stderr);
    expect(diagnosis[0]).toBe('Sam Sales (sam.sales@contoso.com) holds prvWriteAccount only at Basic (User) depth; this row needs Global (Organization).');
    expect(diagnosis).toContain(
      'The row (owned by Alex Admin, in Contoso) is out of reach for Sam Sales (sam.sales@contoso.com): Basic (User) depth does not reach it ' +
        '(it would need Global (Organization)), they do not own it, and it is shared with nobody.',
    );
  });

  it('-o json names the row, its owner and the depth it needs', async () => {
    const fourthCoffee = accountNamed('Fourth Coffee');
    const alex = user(emulator(), DEMO.admin);
    const run = await dvas(DEMO_APP.clientId, ['update', 'accounts', String(fourthCoffee.accountid), '-o', 'json', '--as', DEMO.sam, '--data', '{"telephone1":"555"}']);
    expect(run.json()).toMatchObject({
      error: {
        diagnosis: {
          record: { table: 'account', id: fourthCoffee.accountid, name: 'Fourth Coffee', owner: { id: alex.systemuserid, kind: 'systemuser' }, reached: false, neededDepth: 'Global' },
          lacking: [{ id: user(emulator(), DEMO.sam).systemuserid, privilege: 'prvWriteAccount', holds: 'Basic', needs: 'Global' }],
        },
      },
    });
  });

  it('without --as, when the user may not read roles nor the row: Sam Sales updating it himself', async () => {
    const fourthCoffee = accountNamed('Fourth Coffee');
    const run = await dvas(DEMO.sam, ['update', 'accounts', String(fourthCoffee.accountid), '--data', '{"telephone1":"555"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr).slice(0, 2)).toEqual([
      `The signed-in identity (Sam Sales) holds prvWriteAccount, but Basic (User) depth does not reach accounts(${String(fourthCoffee.accountid)}).`,
      'Basic (User) depth reaches only the rows the user or one of their teams owns, and the rows shared with them.',
    ]);
  });
});

describe('0x8004A110: the signed-in identity may not act on behalf of another user', () => {
  it('Devon Delegate holds Delegate only through a team, which does not count', async () => {
    const run = await dvas(DEMO.devon, ['whoami', '--as', user(emulator(), DEMO.sam).systemuserid]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/^error: User does not have the privilege to act on behalf another user\. \[0x8004A110\]\n/);
    const diagnosis = diagnosisOf(run.stderr);
    // Devon may read neither roles nor users: his own privileges say he holds it, so only through a team.
    // Nor may he read his own row: his token names him.
    expect(diagnosis[0]).toBe(
      `The signed-in identity (${String(user(emulator(), DEMO.devon).fullname)}) holds prvActOnBehalfOfAnotherUser only through a team, ` +
        "and a team's role does not count: acting on behalf of another user needs a role assigned directly.",
    );
  });

  it('the same for create, and nothing is created', async () => {
    const accounts = rowCount('account');
    const run = await dvas(DEMO.devon, ['create', 'accounts', '-o', 'json', '--as', user(emulator(), DEMO.sam).systemuserid, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.json()).toMatchObject({
      error: { code: '0x8004A110', status: 403, diagnosis: { status: 'diagnosed', kind: 'cannot-act-on-behalf', lines: [expect.stringContaining('only through a team'), expect.any(String)] } },
    });
    expect(rowCount('account')).toBe(accounts);
  });

  it('an identity without the privilege at all is told it lacks it', async () => {
    const run = await dvas(DEMO.nora, ['whoami', '--as', user(emulator(), DEMO.sam).systemuserid]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)[0]).toBe(`The signed-in identity (${String(user(emulator(), DEMO.nora).fullname)}) lacks prvActOnBehalfOfAnotherUser, so it may not act on behalf of another user.`);
  });
});

describe('0x8004A110 when the signed-in identity may read roles', () => {
  const seeded = useEmulator({ seed: teamDelegateWhoReadsRoles() });
  const dvasSeeded = dvasAgainst(seeded);

  it('names the team and the role it holds the privilege through, and the roles to assign directly', async () => {
    const run = await dvasSeeded(RORY.email, ['whoami', '--as', DEMO.sam]);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(run.stderr)).toEqual([
      "The signed-in identity (Rory Reviewer) holds prvActOnBehalfOfAnotherUser only through Delegate (team Reviewers), and a team's role does not count: acting on behalf of another user needs a role assigned directly.",
      'Roles that grant prvActOnBehalfOfAnotherUser (assign one to the signed-in identity directly): Delegate, System Administrator.',
    ]);
  });
});

describe('-o json: the diagnosis as data, under the error the service gave', () => {
  it('who lacks what, each side\'s holdings and the roles that grant it', async () => {
    const riley = user(emulator(), DEMO.riley);
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    const { error } = run.json() as { error: Record<string, any> };
    expect(error.code).toBe('0x80040220');
    expect(error.message).toMatch(/^Principal user \(Id=/);
    expect(error.diagnosis).toMatchObject({
      status: 'diagnosed',
      kind: 'privilege-denied',
      privilege: 'prvCreateAccount',
      impersonating: true,
      message: { template: 'principal-current', principal: { kind: 'user', id: riley.systemuserid }, entity: 'account' },
      lacking: [{ id: riley.systemuserid, privilege: 'prvCreateAccount', holds: null, needs: null }],
      record: null,
      grantingRoles: ['Account Manager', 'dvas Integration', 'Salesperson', 'System Administrator'],
    });
    expect(error.diagnosis.principals).toEqual([
      expect.objectContaining({ role: 'signed-in', holds: true, depth: 'Global', grants: [{ role: 'dvas Integration', depth: 'Global', team: null }] }),
      expect.objectContaining({ role: 'acted-as', id: riley.systemuserid, holds: false, depth: null, grants: [] }),
    ]);
  });
});

describe('--no-diagnose', () => {
  it('sends nothing after the refused request and shows the service\'s error alone', async () => {
    const log = emulator().requestLog;
    const before = log.entries.length;
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '--no-diagnose', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    const sent = log.entries.slice(before);
    expect(sent.at(-1)).toMatchObject({ method: 'POST', target: '/api/data/v9.2/accounts' });
    expect(run.stderr).toMatch(/^error: Principal user .*\[0x80040220\]\n/);
    expect(run.stderr).not.toContain('diagnosis:');

    // The same run diagnosed sends more after the POST, which is what --no-diagnose saves.
    const diagnosedFrom = log.entries.length;
    await dvas(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    const diagnosed = log.entries.slice(diagnosedFrom);
    const afterPost = diagnosed.slice(diagnosed.findIndex((entry) => entry.method === 'POST') + 1);
    expect(afterPost.length).toBeGreaterThan(0);
  });

  it('-o json says the diagnosis was skipped', async () => {
    const run = await dvas(DEMO_APP.clientId, ['create', 'accounts', '-o', 'json', '--no-diagnose', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    expect(run.json()).toMatchObject({ error: { code: '0x80040220', diagnosis: { status: 'skipped' } } });
  });
});

describe('when the signed-in identity may read neither users nor roles', () => {
  const seeded = useEmulator({ seed: demoSeedWith(IVY) });
  const dvasSeeded = dvasAgainst(seeded);

  it("Ivy acting as Riley: each user's own privileges still say who lacks it", async () => {
    const riley = user(seeded(), DEMO.riley);
    const ivy = user(seeded(), IVY.email);
    const run = await dvasSeeded(IVY.email, ['create', 'accounts', '--as', riley.systemuserid, '--data', '{"name":"x"}']);
    expect(run.code).toBe(ExitCode.PrivilegeDenied);
    expect(run.stderr).toMatch(/^error: Principal user \(Id=[0-9a-f-]+, .* is missing prvCreateAccount privilege .*\[0x80040220\]\n/);
    // Neither may read the other's user row: Riley is named by id (asked about herself), Ivy by her token.
    expect(diagnosisOf(run.stderr)[0]).toBe(`${riley.systemuserid} lacks prvCreateAccount; the signed-in identity (${String(ivy.fullname)}) holds it at Global (Organization) depth.`);
  });
});

describe('when the diagnosis cannot be made, the original error stands with one line saying why', () => {
  const emulatorBehind = useEmulator();
  const proxy = useRewritingProxy(() => emulatorBehind().url);
  const newConfigDir = useTempConfigDir();
  /** The refusal passes; every request after it (the diagnosis's) gets a 500. */
  const failEverythingAfterTheRefusal = () => {
    let refused = false;
    proxy.rewrite((_request, answer) => {
      if (refused) return { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}' };
      if (answer.body.includes('0x80040220')) refused = true;
      return answer;
    });
  };
  const run = (argv: string[]) =>
    runCli(argv, { env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulatorBehind().issueToken(DEMO_APP.clientId), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' } });

  it('every request after the refusal fails: exit 5 and the service\'s error, as without a diagnosis', async () => {
    failEverythingAfterTheRefusal();
    const result = await run(['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    proxy.rewrite(undefined);
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toMatch(/^error: Principal user \(Id=.* is missing prvCreateAccount privilege .*\[0x80040220\]$/);
    expect(lines[1]).toBe('diagnosis: dvas could not diagnose this denial: Dataverse answered 500 (0x80040216) to GET WhoAmI.');
    expect(lines[2]).toMatch(/^hint: /);
    expect(result.stderr).not.toMatch(/^ {2}/m);
  });

  it('-o json: status unavailable with the reason, the error unchanged', async () => {
    failEverythingAfterTheRefusal();
    const result = await run(['create', 'accounts', '-o', 'json', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    proxy.rewrite(undefined);
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    expect(result.json()).toMatchObject({
      error: { code: '0x80040220', status: 403, message: expect.stringMatching(/^Principal user/), diagnosis: { status: 'unavailable', reason: expect.stringContaining('Dataverse answered 500') } },
    });
  });

  it('a wording that names no privilege: no diagnosis, one line saying so', async () => {
    proxy.rewrite((_request, answer) =>
      answer.body.includes('0x80040220') ? { ...answer, body: JSON.stringify({ error: { code: '0x80040220', message: 'The user does not hold the necessary privileges.' } }) } : answer,
    );
    const result = await run(['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"x"}']);
    proxy.rewrite(undefined);
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    expect(result.stderr.split('\n').slice(0, 2)).toEqual([
      'error: The user does not hold the necessary privileges. [0x80040220]',
      'diagnosis: dvas could not diagnose this denial: the message names no privilege (docs/dataverse-errors.md lists the wordings dvas reads).',
    ]);
  });
});

describe('older wordings of the message are diagnosed too', () => {
  const emulatorBehind = useEmulator();
  const proxy = useRewritingProxy(() => emulatorBehind().url);
  const newConfigDir = useTempConfigDir();
  const reworded = async (wording: (riley: string, caller: string) => string) => {
    const riley = user(emulatorBehind(), DEMO.riley).systemuserid;
    const caller = user(emulatorBehind(), DEMO.app).systemuserid;
    proxy.rewrite((_request, answer) =>
      answer.body.includes('0x80040220') ? { ...answer, body: JSON.stringify({ error: { code: '0x80040220', message: wording(riley, caller) } }) } : answer,
    );
    const result = await runCli(['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"x"}'], {
      env: { DVAS_URL: proxy.url(), DVAS_ACCESS_TOKEN: emulatorBehind().issueToken(DEMO_APP.clientId), DVAS_CONFIG_DIR: newConfigDir(), NO_COLOR: '1' },
    });
    proxy.rewrite(undefined);
    return result;
  };
  const RILEY_LACKS =
    'Riley Reader (riley.reader@contoso.com) lacks prvCreateAccount; the signed-in identity (dvas demo app) holds it at Global (Organization) depth through dvas Integration.';

  it('the wording to 2015, with no table named', async () => {
    const result = await reworded((riley) => `Principal user (Id=${riley}, type=8) is missing prvCreateAccount privilege`);
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(result.stderr)[0]).toBe(RILEY_LACKS);
  });

  it('the owner check of the Sales documentation names the new owner: that user lacks it, not the ones who ran the request', async () => {
    const nora = user(emulatorBehind(), DEMO.nora).systemuserid;
    const result = await reworded(
      (_riley, caller) =>
        `Read Privilege Check For Owner failed with exception: Principal user (Id=${nora}, type=8, roleCount=0, privilegeCount=0, accessMode='0 Read-Write', ` +
        `AADObjectId='${caller}', MetadataCachePrivilegesCount=57, businessUnitId=${caller}), is missing prvReadAccount privilege (Id=${caller}) on OTC=1 ` +
        `for entity 'account' (LocalizedName='Account'). context.Caller=${caller}. Consider adding missed privilege to one of the principal (user/team) roles.`,
    );
    expect(result.code).toBe(ExitCode.PrivilegeDenied);
    expect(diagnosisOf(result.stderr)).toEqual([
      "Dataverse's check was on Nora NoRoles (nora.noroles@contoso.com), the row's new owner, not the user acted as: an owner must hold it too; Nora NoRoles (nora.noroles@contoso.com) lacks prvReadAccount.",
      'Roles that grant prvReadAccount: Account Manager, dvas Integration, Reader, Salesperson, System Administrator.',
    ]);
    expect(result.stderr).toContain('hint: Assign Nora NoRoles (nora.noroles@contoso.com) a security role that grants prvReadAccount');
  });

  it('a team as the principal (type=9)', async () => {
    const team = [...emulatorBehind().core.store.rows('team').values()].find((row) => row.name === 'Delegates');
    const result = await reworded(() => `Principal team (Id=${String(team?.teamid)}, type=9) is missing prvCreateAccount privilege`);
    expect(diagnosisOf(result.stderr)[0]).toBe("Dataverse's check was on the team Delegates, not the user acted as; the team Delegates lacks prvCreateAccount.");
  });

  it('the wording of the Customer Service documentation', async () => {
    const result = await reworded(
      (riley, caller) =>
        `Principal user (Id= ${riley}, type=8, roleCount=1, privilegeCount=2, accessMode=0), is missing prvCreateAccount privilege (Id=${caller}) on OTC=1 for entity 'account'. context.Caller=${riley}`,
    );
    expect(diagnosisOf(result.stderr)[0]).toBe(RILEY_LACKS);
  });
});
