import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst, loggedRequests } from '../helpers/dvas-against.js';
import { DEMO, useEmulator, user } from '../helpers/emulator.js';
import { demoSeedWith, NOBODY_ID, PATS } from '../helpers/impersonation-seed.js';

/**
 * --as in every form, through `dvas whoami` against the demo organisation: which header goes out
 * with which value, and the failures that must stop dvas before the operation is sent.
 */
describe('--as forms', () => {
  const emulator = useEmulator();
  const dvas = dvasAgainst(emulator);
  const sam = () => user(emulator(), DEMO.sam);
  const owen = () => user(emulator(), DEMO.owen);

  it.each([
    ['an email → looked up, CallerObjectId', () => DEMO.sam, () => sam(), 'callerobjectid', () => sam().azureactivedirectoryobjectid],
    ['a systemuserid → MSCRMCallerID', () => sam().systemuserid, () => sam(), 'mscrmcallerid', () => sam().systemuserid],
    ['aad:<object id> → CallerObjectId', () => `aad:${sam().azureactivedirectoryobjectid}`, () => sam(), 'callerobjectid', () => sam().azureactivedirectoryobjectid],
    ['an on-premises UPN (no Entra object id) → MSCRMCallerID', () => DEMO.owen, () => owen(), 'mscrmcallerid', () => owen().systemuserid],
    ['an on-premises DOMAIN\\user → MSCRMCallerID', () => 'CONTOSO\\owen', () => owen(), 'mscrmcallerid', () => owen().systemuserid],
    ['an email in another case', () => 'SAM.Sales@Contoso.com', () => sam(), 'callerobjectid', () => sam().azureactivedirectoryobjectid],
  ])('%s', async (_, asValue, target, header, headerValue) => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--verbose', '--as', asValue()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ UserId: target().systemuserid, fullname: target().fullname });
    const requests = loggedRequests(run.stderr);
    const operation = requests.findIndex((request) => request.line === 'GET WhoAmI' && (request.headers.callerobjectid ?? request.headers.mscrmcallerid));
    const headers = requests[operation]?.headers ?? {};
    expect(headers).toMatchObject({ [header]: headerValue() });
    expect(Object.keys(headers)).not.toContain(header === 'callerobjectid' ? 'mscrmcallerid' : 'callerobjectid');
    // Everything before the operation (the lookup, the check) runs as the signed-in identity.
    const before = requests.slice(0, operation);
    expect(before.length).toBeGreaterThan(0);
    for (const request of before) expect(request.headers).not.toHaveProperty(header);
  });

  it('acting as the signed-in identity itself is no impersonation, and no failure either', async () => {
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--as', DEMO_APP.email]);
    expect(run.code, run.stderr).toBe(0);
    const app = user(emulator(), DEMO_APP.email);
    expect(run.json()).toMatchObject({ UserId: app.systemuserid, caller: { UserId: app.systemuserid } });
  });

  it('comes from DVAS_AS when there is no --as, and --as wins over it', async () => {
    const fromVariable = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json'], { env: { DVAS_AS: DEMO.sam } });
    expect(fromVariable.json()).toMatchObject({ UserId: sam().systemuserid });
    const flagWins = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--as', DEMO.riley], { env: { DVAS_AS: DEMO.sam } });
    expect(flagWins.json()).toMatchObject({ UserId: user(emulator(), DEMO.riley).systemuserid });
  });

  describe('stops before the operation is sent', () => {
    /** The requests a run made, by request line. */
    const sent = (stderr: string) => loggedRequests(stderr).map((request) => request.line);

    it('an unknown email: exit 6, one sentence, only the lookup sent', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', 'nobody@contoso.com']);
      expect(run.code).toBe(ExitCode.NotFound);
      expect(run.stderr).toContain("error: No Dataverse user has the email address or domain name \"nobody@contoso.com\".");
      expect(run.stderr).toContain('hint: Find users and their ids with: dvas users');
      expect(sent(run.stderr)).toEqual(['GET systemusers']);
      expect(run.stdout).toBe('');
    });

    it('an unknown systemuserid: exit 6 after one GET, even though the service might ignore it', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', NOBODY_ID]);
      expect(run.code).toBe(ExitCode.NotFound);
      expect(run.stderr).toContain(`error: No Dataverse user has the systemuserid ${NOBODY_ID}.`);
      expect(sent(run.stderr)[0]).toBe(`GET systemusers(${NOBODY_ID})`);
      expect(sent(run.stderr)).not.toContain('GET WhoAmI');
    });

    it('an Entra object id given as a systemuserid: exit 6, and the hint names the aad: form', async () => {
      const objectId = sam().azureactivedirectoryobjectid ?? '';
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--as', objectId]);
      expect(run.code).toBe(ExitCode.NotFound);
      expect(run.stderr).toContain(`hint: ${objectId} is the Entra object id of Sam Sales (sam.sales@contoso.com): use aad:${objectId}, or its systemuserid ${sam().systemuserid}.`);
    });

    it('an unknown Entra object id: exit 6', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', `aad:${NOBODY_ID}`]);
      expect(run.code).toBe(ExitCode.NotFound);
      expect(run.stderr).toContain(`error: No Dataverse user has the Entra object id ${NOBODY_ID}.`);
      expect(sent(run.stderr)).toEqual(['GET systemusers']);
    });

    it.each([
      ['by email', () => DEMO.dana],
      ['by systemuserid', () => user(emulator(), DEMO.dana).systemuserid],
    ])('a disabled user (%s): exit 5 naming the user, nothing else sent', async (_, asValue) => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', asValue()]);
      expect(run.code).toBe(ExitCode.PrivilegeDenied);
      expect(run.stderr).toContain('error: Dana Disabled (dana.disabled@contoso.com) is disabled in Dataverse, and no request can run as a disabled user.');
      expect(sent(run.stderr)).toHaveLength(1);
    });

    it('as a JSON error on stdout with -o json', async () => {
      const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--as', 'nobody@contoso.com']);
      expect(run.code).toBe(ExitCode.NotFound);
      expect(run.json()).toEqual({
        error: { code: null, message: 'No Dataverse user has the email address or domain name "nobody@contoso.com".', hint: expect.any(String), status: null },
      });
    });

    it('a lookup the signed-in identity may not make: exit 5, pointing at the forms that need none', async () => {
      // Nora has no role at all, so may not read users.
      const run = await dvas(DEMO.nora, ['whoami', '--as', DEMO.sam]);
      expect(run.code).toBe(ExitCode.PrivilegeDenied);
      expect(run.stderr).toContain('error: Cannot look up "sam.sales@contoso.com": the signed-in identity may not read users (prvReadUser). [0x80040220]');
      expect(run.stderr).toContain('hint: Name the user by its systemuserid or aad:<Entra object id> instead');
    });
  });
});

describe('--as naming two users', () => {
  const emulator = useEmulator({ seed: demoSeedWith(...PATS) });
  const dvas = dvasAgainst(emulator);

  it('is a usage error (exit 2) listing both candidates by id, before anything else is sent', async () => {
    const [first, second] = PATS.map((pat) => user(emulator(), pat.email));
    const run = await dvas(DEMO_APP.clientId, ['whoami', '--verbose', '--as', 'pat@contoso.com']);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/error: 2 users have the email address or domain name "pat@contoso\.com": /);
    expect(run.stderr).toContain(`${first?.systemuserid} (Pat Doe (pat@contoso.com))`);
    expect(run.stderr).toContain(`${second?.systemuserid} (Pat Doe (pat.doe@fabrikam.com))`);
    expect(run.stderr).toContain('hint: Name one of them by its systemuserid.');
    expect(loggedRequests(run.stderr).map((request) => request.line)).toEqual(['GET systemusers']);
  });

  it('either of them can then be named by systemuserid', async () => {
    const second = user(emulator(), 'pat.doe@fabrikam.com');
    const run = await dvas(DEMO_APP.clientId, ['whoami', '-o', 'json', '--as', second.systemuserid]);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ UserId: second.systemuserid, domainname: 'pat@contoso.com' });
  });
});
