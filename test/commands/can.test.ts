import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/emulator/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { dvasAgainst } from '../helpers/dvas-against.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * `dvas can` on the demo organisation: each answer written out, and checked against what the
 * emulator decides when the same operation is performed (dvas computes from the Web API only).
 */
const emulator = useEmulator();
const dvas = dvasAgainst(emulator);

async function agrees(who: string, can: string[], operation: string[], expected: 0 | 5) {
  const answer = await dvas(who, ['can', ...can, '-o', 'json']);
  expect(answer.code, answer.stderr).toBe(expected);
  const performed = await dvas(who, operation);
  // The service's decision: exit 5 for a refusal, 0 when it did it.
  expect(performed.code === ExitCode.PrivilegeDenied ? 5 : performed.code, performed.stderr).toBe(expected);
  return answer.json() as { allowed: boolean; privilege: string; verdict: { reasons: string[]; lacking: Array<{ label: string; privilege: string }> } };
}

describe('dvas can', () => {
  it('the target lacks it: the app as Riley creating an account', async () => {
    const answer = await agrees(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.riley], ['create', 'accounts', '--as', DEMO.riley, '--data', '{"name":"x"}'], 5);
    expect(answer).toMatchObject({ allowed: false, privilege: 'prvCreateAccount' });
    expect(answer.verdict.lacking).toEqual([expect.objectContaining({ label: 'Riley Reader (riley.reader@contoso.com)', privilege: 'prvCreateAccount' })]);
  });

  it('the caller lacks it: the app as Alex creating a team', async () => {
    const answer = await agrees(DEMO_APP.clientId, ['create', 'teams', '--as', DEMO.admin], ['create', 'teams', '--as', DEMO.admin, '--data', '{"name":"x"}'], 5);
    expect(answer.verdict.lacking).toEqual([expect.objectContaining({ label: 'the signed-in identity (dvas demo app)', privilege: 'prvCreateTeam' })]);
  });

  it('both lack it: the app as Riley creating a team', async () => {
    const answer = await agrees(DEMO_APP.clientId, ['create', 'teams', '--as', DEMO.riley], ['create', 'teams', '--as', DEMO.riley, '--data', '{"name":"x"}'], 5);
    expect(answer.verdict.lacking.map((lack) => lack.label)).toEqual(['the signed-in identity (dvas demo app)', 'Riley Reader (riley.reader@contoso.com)']);
  });

  it('allowed: the app as Sam creating an account, Salesperson at Basic', async () => {
    const answer = await agrees(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.sam], ['create', 'accounts', '--as', DEMO.sam, '--data', '{"name":"can"}'], 0);
    expect(answer.verdict.reasons).toContain('Sam Sales (sam.sales@contoso.com) holds prvCreateAccount at Basic (User) depth, from Salesperson (Basic).');
  });

  it('Delegate held only through a team: Devon as Sam', async () => {
    const answer = await dvas(DEMO.devon, ['can', 'read', 'accounts', '--as', DEMO.sam, '-o', 'json']);
    // Devon may not read other users, so dvas cannot look Sam up by email; the operation itself is refused with 0x8004A110.
    expect([ExitCode.PrivilegeDenied]).toContain(answer.code);
  });

  it('a disabled target, and the target being the caller', async () => {
    const disabled = await dvas(DEMO_APP.clientId, ['can', 'read', 'accounts', '--as', DEMO.dana, '-o', 'json']);
    expect(disabled.code).toBe(5);
    expect((disabled.json() as { verdict: { reasons: string[] } }).verdict.reasons).toContain('Dana Disabled (dana.disabled@contoso.com) is disabled: no request can run as a disabled user.');
    await agrees(DEMO_APP.clientId, ['read', 'accounts', '--as', DEMO.app], ['get', 'accounts', '--as', DEMO.app, '--top', '1'], 0);
  });

  it('a user with no roles, and one whose roles come only through a team', async () => {
    await agrees(DEMO_APP.clientId, ['read', 'accounts', '--as', DEMO.nora], ['get', 'accounts', '--as', DEMO.nora, '--top', '1'], 5);
    const tess = await agrees(DEMO_APP.clientId, ['create', 'accounts', '--as', DEMO.tess], ['create', 'accounts', '--as', DEMO.tess, '--data', '{"name":"tess"}'], 0);
    expect(tess.verdict.reasons.join(' ')).toContain('from Salesperson through team Sales Team (Basic)');
  });

  it('a verb that is not one is a usage error, nothing sent', async () => {
    const run = await dvas(DEMO_APP.clientId, ['can', 'fly', 'accounts']);
    expect(run.code).toBe(ExitCode.Usage);
  });
});
