import { describe, expect, it } from 'vitest';
import { decide, type BusinessUnit, type Grant, type PrincipalFacts, type VerdictQuestion } from '../../src/access/verdict.js';

/** The pure privilege verdict (src/access/verdict.ts), on the shapes of the demo organisation. */
const ROOT = 'bu-root';
const SALES = 'bu-sales';
const UNITS = new Map<string, BusinessUnit>([
  [ROOT, { id: ROOT, name: 'Contoso', parentId: null }],
  [SALES, { id: SALES, name: 'Contoso Sales', parentId: ROOT }],
]);

const grant = (roleName: string, depth: Grant['depth'], businessUnitId: string, team?: string): Grant => ({
  roleId: `role-${roleName}`,
  roleName,
  depth,
  businessUnitId,
  ...(team ? { team: { id: `team-${team}`, name: team } } : {}),
});
const person = (id: string, label: string, grants: Grant[] | undefined, extra: Partial<PrincipalFacts> = {}): PrincipalFacts => ({
  id,
  label,
  disabled: false,
  businessUnitId: extra.businessUnitId ?? ROOT,
  teamIds: [],
  grants,
  ...extra,
});
const app = (grants: Grant[]) => person('app', 'the signed-in identity (dvas demo app)', grants);
const delegate = [grant('Delegate', 'Global', ROOT)];
const ask = (question: Partial<VerdictQuestion> & Pick<VerdictQuestion, 'subject'>): ReturnType<typeof decide> =>
  decide({ privilege: 'prvCreateAccount', right: 'CreateAccess', organizationOwned: false, businessUnits: UNITS, ...question });

describe('decide', () => {
  it('the target lacks the privilege: Riley Reader creating an account as the app', () => {
    const verdict = ask({ subject: person('riley', 'Riley Reader', []), impersonator: { principal: app([grant('dvas Integration', 'Global', ROOT)]), actOnBehalf: delegate } });
    expect(verdict.allowed).toBe(false);
    expect(verdict.lacking).toEqual([{ id: 'riley', label: 'Riley Reader', privilege: 'prvCreateAccount', holds: null, needs: null }]);
  });

  it('the caller lacks it: the app as Alex Admin creating a team', () => {
    const verdict = ask({ privilege: 'prvCreateTeam', subject: person('alex', 'Alex Admin', [grant('System Administrator', 'Global', ROOT)]), impersonator: { principal: app([]), actOnBehalf: delegate } });
    expect(verdict.allowed).toBe(false);
    expect(verdict.lacking.map((lack) => lack.id)).toEqual(['app']);
    expect(verdict.reasons).toContain('Alex Admin holds prvCreateTeam at Global (Organization) depth, from System Administrator (Global).');
  });

  it('both lack it', () => {
    const verdict = ask({ privilege: 'prvCreateTeam', subject: person('riley', 'Riley Reader', []), impersonator: { principal: app([]), actOnBehalf: delegate } });
    expect(verdict.lacking.map((lack) => lack.id)).toEqual(['app', 'riley']);
  });

  it('under --as the lesser depth applies and it does not reach the row: Sam (Local) reading Fourth Coffee in the root unit', () => {
    const sam = person('sam', 'Sam Sales', [grant('Salesperson', 'Local', SALES)], { businessUnitId: SALES });
    const verdict = ask({
      privilege: 'prvReadAccount',
      right: 'ReadAccess',
      subject: sam,
      impersonator: { principal: app([grant('dvas Integration', 'Global', ROOT)]), actOnBehalf: delegate },
      record: { id: 'fourth', owner: { id: 'alex', kind: 'systemuser', name: 'Alex Admin' }, businessUnitId: ROOT, shares: [] },
    });
    expect(verdict).toMatchObject({ allowed: false, depth: 'Local', record: { reached: false, neededDepth: 'Global' } });
    expect(verdict.lacking).toEqual([{ id: 'sam', label: 'Sam Sales', privilege: 'prvReadAccount', holds: 'Local', needs: 'Global' }]);
  });

  it('a row reachable only through a share', () => {
    const sam = person('sam', 'Sam Sales', [grant('Salesperson', 'Local', SALES)], { businessUnitId: SALES });
    const verdict = ask({
      privilege: 'prvReadAccount',
      right: 'ReadAccess',
      subject: sam,
      record: { id: 'pharma', owner: { id: 'alex', kind: 'systemuser', name: 'Alex Admin' }, businessUnitId: ROOT, shares: [{ principalId: 'sam', principalKind: 'systemuser', rights: ['ReadAccess', 'WriteAccess'] }] },
    });
    expect(verdict.allowed).toBe(true);
    expect(verdict.record?.ways).toEqual([{ kind: 'share', principalId: 'sam', principalKind: 'systemuser', teamName: null }]);
  });

  it('a row reachable only through team ownership: Tess (Basic write through the Sales Team) on Alpine Ski House', () => {
    const tess = person('tess', 'Tess Team', [grant('Salesperson', 'Basic', SALES, 'Sales Team')], { businessUnitId: SALES, teamIds: ['team-Sales Team'] });
    const verdict = ask({
      privilege: 'prvWriteAccount',
      right: 'WriteAccess',
      subject: tess,
      record: { id: 'alpine', owner: { id: 'team-Sales Team', kind: 'team', name: 'Sales Team' }, businessUnitId: SALES, shares: [] },
    });
    expect(verdict.allowed).toBe(true);
    expect(verdict.record?.ways).toEqual([{ kind: 'owning-team', teamId: 'team-Sales Team', teamName: 'Sales Team' }]);
    expect(verdict.sides[0]?.grants[0]?.team?.name).toBe('Sales Team');
  });

  it('Delegate held only through a team does not count', () => {
    const devon = person('devon', 'Devon Delegate', [grant('Account Manager', 'Global', ROOT)]);
    const verdict = ask({ subject: person('sam', 'Sam Sales', [grant('Salesperson', 'Basic', SALES)]), impersonator: { principal: devon, actOnBehalf: [grant('Delegate', 'Global', ROOT, 'Delegates')] } });
    expect(verdict.allowed).toBe(false);
    expect(verdict.impersonation).toMatchObject({ mayActOnBehalf: false, directRoles: [], teamRoles: ['Delegate'] });
    expect(verdict.lacking[0]).toMatchObject({ id: 'devon', privilege: 'prvActOnBehalfOfAnotherUser' });
  });

  it('a disabled target is refused whatever it holds', () => {
    const dana = person('dana', 'Dana Disabled', [grant('Salesperson', 'Basic', ROOT)], { disabled: true });
    const verdict = ask({ subject: dana, impersonator: { principal: app([grant('dvas Integration', 'Global', ROOT)]), actOnBehalf: delegate } });
    expect(verdict.allowed).toBe(false);
    expect(verdict.impersonation?.targetDisabled).toBe(true);
  });

  it('the target is the caller: no impersonation, only its own privileges', () => {
    const self = app([grant('dvas Integration', 'Global', ROOT)]);
    const verdict = ask({ subject: self, impersonator: { principal: self, actOnBehalf: [] } });
    expect(verdict).toMatchObject({ allowed: true, depth: 'Global', impersonation: { sameUser: true, allowed: true } });
  });

  it('a user with no roles lacks everything; roles only through a team count for data', () => {
    expect(ask({ subject: person('nora', 'Nora NoRoles', []) }).allowed).toBe(false);
    const tess = person('tess', 'Tess Team', [grant('Salesperson', 'Basic', SALES, 'Sales Team')], { teamIds: ['team-Sales Team'] });
    expect(ask({ subject: tess })).toMatchObject({ allowed: true, depth: 'Basic' });
  });

  it('roles dvas could not read give "unknown", never a false yes or no', () => {
    expect(ask({ subject: person('x', 'X', undefined) }).allowed).toBe('unknown');
  });

  describe("the service's answer about the row (RetrievePrincipalAccess)", () => {
    const sam = person('sam', 'Sam Sales', [grant('Salesperson', 'Local', SALES)], { businessUnitId: SALES });
    const fourth = { id: 'fourth', owner: { id: 'alex', kind: 'systemuser' as const, name: 'Alex Admin' }, businessUnitId: ROOT, shares: [] };
    const read = { privilege: 'prvReadAccount', right: 'ReadAccess' as const, subject: sam, record: fourth };

    it('agrees with dvas: out of reach', () => {
      const verdict = ask({ ...read, recordService: { rights: [], origin: 'Access origin could not be found. Access does not come from POA table or object ownership.' } });
      expect(verdict.record).toMatchObject({ reached: false, service: { hasRight: false, agrees: true } });
    });

    it('says yes where dvas found no way (hierarchy security, a parent record shared): the service wins, its sentence is the way', () => {
      const verdict = ask({ ...read, recordService: { rights: ['ReadAccess'], origin: 'PrincipalId is owner of a parent entity of object (fourth)' } });
      expect(verdict.allowed).toBe(true);
      expect(verdict.record).toMatchObject({ reached: true, ways: [{ kind: 'service', origin: 'PrincipalId is owner of a parent entity of object (fourth)' }], service: { agrees: false } });
    });

    it('says no where dvas found a way: the service wins', () => {
      const verdict = ask({ ...read, record: { ...fourth, businessUnitId: SALES }, recordService: { rights: ['WriteAccess'], origin: null } });
      expect(verdict).toMatchObject({ allowed: false, record: { reached: false, ways: [], service: { hasRight: false, agrees: false } } });
    });

    it('under --as a lower cap still applies to the yes the service gives about the subject alone', () => {
      const alex = person('alex', 'Alex Admin', [grant('System Administrator', 'Global', ROOT)]);
      const verdict = ask({
        ...read,
        subject: alex,
        record: { ...fourth, businessUnitId: SALES, owner: { id: 'riley', kind: 'systemuser', name: 'Riley' } },
        impersonator: { principal: app([grant('Salesperson', 'Local', SALES)]), actOnBehalf: delegate },
        recordService: { rights: ['ReadAccess'], origin: null },
      });
      expect(verdict).toMatchObject({ allowed: false, depth: 'Local', record: { reached: false, service: { hasRight: true, agrees: null } } });
    });

    it('no answer (the identity may not ask): dvas reasons alone and says so', () => {
      const verdict = ask({ ...read, recordService: { rights: undefined, origin: null } });
      expect(verdict.record).toMatchObject({ reached: false, service: { hasRight: 'unknown', agrees: null } });
      expect(verdict.reasons.at(-1)).toMatch(/did not answer RetrievePrincipalAccess/);
    });
  });
});
