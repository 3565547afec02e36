import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, requestsFrom, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, IVY, NOBODY_ID } from '../helpers/impersonation-seed.js';
import type { DryRunDocument } from '../../src/dataverse/dry-run.js';

describe('dvas whoami', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const app = () => user(emulator(), DEMO_APP.email);
  const sam = () => user(emulator(), DEMO.sam);

  it('-o json: WhoAmI under its own names, the user\'s names, and no caller without --as', async () => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({
      UserId: app().systemuserid,
      BusinessUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      OrganizationId: emulator().organizationId,
      fullname: 'dvas demo app',
      domainname: app().domainname,
      azureactivedirectoryobjectid: app().azureactivedirectoryobjectid,
      businessunitname: 'Contoso',
      caller: null,
    });
    expect(run.stderr).toBe('');
  });

  it('under --as: the effective user (business unit and all) and the caller', async () => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--as', DEMO.sam]);
    expect(run.json()).toMatchObject({
      UserId: sam().systemuserid,
      fullname: 'Sam Sales',
      domainname: DEMO.sam,
      azureactivedirectoryobjectid: sam().azureactivedirectoryobjectid,
      businessunitname: 'Contoso Sales',
      caller: { UserId: app().systemuserid, fullname: 'dvas demo app' },
    });
    const businessUnit = [...emulator().core.store.rows('businessunit').values()].find((row) => row.name === 'Contoso Sales');
    expect(run.json()).toMatchObject({ BusinessUnitId: businessUnit?.businessunitid });
  });

  it('a table on a terminal: one labelled line per field, the caller last', async () => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '--as', DEMO.sam], { tty: { stdout: true } });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s{2,}/)[0])).toEqual([
      'fullname',
      'UserId',
      'domainname',
      'azureactivedirectoryobjectid',
      'businessunitname',
      'BusinessUnitId',
      'OrganizationId',
      'caller',
      'callerUserId',
    ]);
    expect(lines[0]).toMatch(/^fullname\s+Sam Sales$/);
    expect(lines.at(-2)).toMatch(/^caller\s+dvas demo app$/);
  });

  it.each([
    ['csv', (stdout: string) => expect(stdout.split(/\r?\n/)[0]).toBe('fullname,UserId,domainname,azureactivedirectoryobjectid,businessunitname,BusinessUnitId,OrganizationId')],
    ['ndjson', (stdout: string) => expect(JSON.parse(stdout)).toMatchObject({ fullname: 'dvas demo app' })],
  ])('-o %s', async (format, check) => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', format]);
    expect(run.code).toBe(0);
    check(run.stdout);
  });

  it('an identity that may not read users still gets its ids, with a warning on stderr', async () => {
    const run = await dvas(DEMO.nora, ['whoami', '-o', 'json']);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ UserId: user(emulator(), DEMO.nora).systemuserid, fullname: null, businessunitname: null });
    expect(run.stderr).toBe("warning: Could not read the user's name and business unit: the signed-in identity may not read users.\n");
  });

  describe('--dry-run', () => {
    it('prints WhoAmI and sends nothing', async () => {
      const before = emulator().stats.requests;
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--dry-run']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^GET ${emulator().apiUrl.replace(/[.]/g, '\\.')}WhoAmI\\n`));
      expect(run.stdout).toContain('Authorization: REDACTED');
      expect(emulator().stats.requests).toBe(before);
    });

    it('ends with a note on stderr, never an error object on stdout', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--dry-run']);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('error');
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Authorization: REDACTED');
      expect(run.stderr).toBe('Dry run: the request above was not sent.\n');
    });

    it('-o json: the dry-run document on stdout, the note on stderr', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--dry-run', '-o', 'json']);
      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ dryRun: true, offline: false, lookups: [], requests: [{ kind: 'operation', method: 'GET', url: `${emulator().apiUrl}WhoAmI`, body: null }] });
      expect((run.json() as DryRunDocument).requests[0]?.headers).toMatchObject({ Authorization: 'REDACTED', 'OData-Version': '4.0' });
      expect(run.stderr).toBe('Dry run: the request above was not sent.\n');
    });

    it.each([
      ['a systemuserid: the WhoAmI with MSCRMCallerID, after checking the user', () => sam().systemuserid, () => `MSCRMCallerID: ${sam().systemuserid}`],
      ['aad:<object id>: the WhoAmI with CallerObjectId, after checking the user', () => `aad:${sam().azureactivedirectoryobjectid}`, () => `CallerObjectId: ${sam().azureactivedirectoryobjectid}`],
      ['a name: the lookup is sent, then the WhoAmI printed with CallerObjectId', () => DEMO.sam, () => `CallerObjectId: ${sam().azureactivedirectoryobjectid}`],
    ])('--as %s', async (_, asValue, header) => {
      const sent = requestsFrom(emulator());
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--dry-run', '--as', asValue()]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toMatch(/^GET \S+\/WhoAmI$/);
      expect(run.stdout).toContain(`\n${header()}\n`);
      expect(sent()).toEqual([expect.stringMatching(/^GET \/api\/data\/v9\.2\/systemusers[(?]/)]);
      expect(run.stderr).toMatch(/^Dry run: looking up GET \S+\/systemusers[(?]/);
    });

    it('--as a name with --offline: prints the lookup it needs first, says so on stderr, and sends nothing', async () => {
      const sent = requestsFrom(emulator());
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--dry-run', '--offline', '--as', DEMO.sam]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^GET \S+\/systemusers\?\$select=\S+&\$filter=internalemailaddress%20eq%20%27sam\.sales@contoso\.com%27/);
      expect(run.stderr).toContain('dvas would first look up "sam.sales@contoso.com" in systemusers, so that is the request shown');
      expect(run.stderr).toContain('Dry run (--offline): the lookup above was not sent');
      expect(sent()).toEqual([]);
    });
  });
});

describe('dvas whoami: was the impersonation applied?', () => {
  // Like environments that silently run a call with an unknown impersonation id as the caller.
  const emulator = useEmulator({ unknownCaller: 'ignore', seed: demoSeedWith(IVY) });
  const dvas = dvasAgainst(emulator);

  it('an id naming no user, which the service ignored: exit 8, saying it ran as the signed-in identity', async () => {
    const ivy = user(emulator(), IVY.email);
    const run = await dvas(IVY.email, ['whoami', '--verbose', '--as', `aad:${NOBODY_ID}`]);
    expect(run.code).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.stderr).toContain(
      `error: Dataverse answered WhoAmI as the signed-in identity (${ivy.systemuserid}), not as aad:${NOBODY_ID}: Dataverse did not apply the impersonation.`,
    );
    expect(run.stderr).toContain('hint: Dataverse ignores an impersonation header that names no user it knows');
    // Ivy may not query users, so dvas could not check the id beforehand: the WhoAmI went out with it.
    expect(run.stderr).toContain(`Could not check that aad:${NOBODY_ID} names an enabled user`);
    const whoAmI = loggedRequests(run.stderr).find((request) => request.headers.callerobjectid === NOBODY_ID);
    expect(whoAmI?.line).toBe('GET WhoAmI');
    expect(run.stdout).toBe('');
  });

  it('as a JSON error with -o json', async () => {
    const run = await dvas(IVY.email, ['whoami', '-o', 'json', '--as', `aad:${NOBODY_ID}`]);
    expect(run.code).toBe(ExitCode.ImpersonationNotApplied);
    expect(run.json()).toMatchObject({ error: { message: expect.stringContaining('Dataverse did not apply the impersonation.') } });
  });

  it('an identity that may read users learns of the unknown id before anything is sent (exit 6)', async () => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', NOBODY_ID]);
    expect(run.code).toBe(ExitCode.NotFound);
    expect(loggedRequests(run.stderr).map((request) => request.line)).not.toContain('GET WhoAmI');
  });

  it('a real user is acted as, for an identity that could not check it beforehand too', async () => {
    const sam = user(emulator(), DEMO.sam);
    const run = await dvas(IVY.email, ['whoami', '-o', 'json', '--as', sam.systemuserid]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ UserId: sam.systemuserid, caller: { UserId: user(emulator(), IVY.email).systemuserid } });
  });
});
