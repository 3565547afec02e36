import { describe, expect, it } from 'vitest';
import type { UserWithRoles } from '../../src/access/facts.js';
import { actOnBehalfOf, holdingsOf, intersect } from '../../src/access/holdings.js';

/** The union of a user's roles (deepest wins, every source kept) and the intersection under --as (src/access/holdings.ts). */
const user = (id: string, direct: string[], teams: Array<{ name: string; roles: string[] }> = []): UserWithRoles => ({
  user: { systemuserid: id, fullname: id, internalemailaddress: null, domainname: null, azureactivedirectoryobjectid: null, isdisabled: false, applicationid: null, businessunitid: 'bu', businessunitname: 'BU' },
  directRoles: direct.map((name) => ({ roleId: name, name })),
  teams: teams.map((team) => ({ id: `team-${team.name}`, name: team.name, businessUnitId: 'bu-team', roles: team.roles.map((name) => ({ roleId: name, name })) })),
});
const ROLES = new Map([
  ['Salesperson', [{ name: 'prvReadAccount', depth: 'Local' as const }, { name: 'prvCreateAccount', depth: 'Basic' as const }]],
  ['Reader', [{ name: 'prvReadAccount', depth: 'Global' as const }]],
  ['Delegate', [{ name: 'prvActOnBehalfOfAnotherUser', depth: 'Global' as const }]],
]);

describe('holdingsOf', () => {
  it('deepest depth wins and every source is listed, deepest first, the team named', () => {
    const held = holdingsOf(user('morgan', ['Salesperson'], [{ name: 'Auditors', roles: ['Reader'] }]), ROLES);
    expect(held.map((entry) => entry.privilege)).toEqual(['prvCreateAccount', 'prvReadAccount']);
    expect(held[1]).toEqual({
      privilege: 'prvReadAccount',
      depth: 'Global',
      sources: [
        { roleId: 'Reader', roleName: 'Reader', depth: 'Global', team: { id: 'team-Auditors', name: 'Auditors' }, businessUnitId: 'bu-team' },
        { roleId: 'Salesperson', roleName: 'Salesperson', depth: 'Local', businessUnitId: 'bu' },
      ],
    });
  });

  it('a role held twice (directly and through a team) is two sources', () => {
    const [read] = holdingsOf(user('x', ['Reader'], [{ name: 'T', roles: ['Reader'] }]), ROLES);
    expect(read?.sources.map((source) => source.team?.name ?? 'direct')).toEqual(['direct', 'T']);
  });
});

describe('intersect and actOnBehalfOf', () => {
  it('only what both hold, at the lesser depth', () => {
    const caller = holdingsOf(user('app', ['Reader', 'Delegate']), ROLES);
    const target = holdingsOf(user('sam', ['Salesperson']), ROLES);
    expect(intersect(caller, target).map((entry) => [entry.privilege, entry.depth])).toEqual([['prvReadAccount', 'Local']]);
  });

  it('prvActOnBehalfOfAnotherUser counts from a direct role only', () => {
    expect(actOnBehalfOf(holdingsOf(user('devon', [], [{ name: 'Delegates', roles: ['Delegate'] }]), ROLES))).toEqual({ may: false, directRoles: [], teamRoles: ['Delegate'] });
    expect(actOnBehalfOf(holdingsOf(user('app', ['Delegate']), ROLES))).toEqual({ may: true, directRoles: ['Delegate'], teamRoles: [] });
  });
});
