import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Record sharing in the emulator, in Microsoft's documented shapes
 * (security-sharing-assigning): GrantAccess, ModifyAccess, RevokeAccess,
 * RetrieveSharedPrincipalsAndAccess, RetrieveAccessOrigin; shares count in the access checks and
 * in RetrievePrincipalAccess. Also RetrieveRolePrivilegesRole and EntityMetadata.Privileges.
 */
const emulator = useEmulator();

function rowId(table: string, name: string): string {
  const key = table === 'team' ? 'teamid' : `${table}id`;
  for (const row of emulator().core.store.rows(table).values()) if (row.name === name) return String(row[key]);
  throw new Error(`no ${table} ${name}`);
}

const target = (accountId: string) => ({ accountid: accountId, '@odata.type': 'Microsoft.Dynamics.CRM.account' });
const asUser = (email: string) => ({ systemuserid: user(emulator(), email).systemuserid, '@odata.type': 'Microsoft.Dynamics.CRM.systemuser' });
const principalAccess = (email: string, accountId: string) =>
  api(emulator(), 'GET', `systemusers(${user(emulator(), email).systemuserid})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${encodeURIComponent(JSON.stringify({ '@odata.id': `accounts(${accountId})` }))}`);
const sharedWith = (accountId: string) =>
  api(emulator(), 'GET', `RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=${encodeURIComponent(JSON.stringify({ '@odata.id': `accounts(${accountId})` }))}`);
const origin = (accountId: string, principalId: string) =>
  api(emulator(), 'GET', `RetrieveAccessOrigin(ObjectId=@o,LogicalName=@n,PrincipalId=@p)?@o=${accountId}&@n='account'&@p=${principalId}`);

describe('the demo organisation shares Contoso Pharmaceuticals with Sam Sales', () => {
  it('RetrieveSharedPrincipalsAndAccess lists the share, the principal keyed by ownerid', async () => {
    const response = await sharedWith(rowId('account', 'Contoso Pharmaceuticals'));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveSharedPrincipalsAndAccessResponse`,
      PrincipalAccesses: [
        { AccessMask: 'ReadAccess, WriteAccess', Principal: { '@odata.type': '#Microsoft.Dynamics.CRM.systemuser', ownerid: user(emulator(), DEMO.sam).systemuserid } },
      ],
    });
  });

  it('Sam reads it through the share though his Local depth does not reach the root business unit', async () => {
    const id = rowId('account', 'Contoso Pharmaceuticals');
    expect((await api(emulator(), 'GET', `accounts(${id})?$select=name`, { as: DEMO.sam })).status).toBe(200);
    // Fourth Coffee, in the same business unit and not shared, stays out of reach.
    expect((await api(emulator(), 'GET', `accounts(${rowId('account', 'Fourth Coffee')})?$select=name`, { as: DEMO.sam })).status).toBe(403);
    expect((await principalAccess(DEMO.sam, id)).json.AccessRights).toBe('ReadAccess, WriteAccess');
  });

  it('RetrieveAccessOrigin says the access is a direct share', async () => {
    const id = rowId('account', 'Contoso Pharmaceuticals');
    const response = await origin(id, user(emulator(), DEMO.sam).systemuserid);
    expect(response.json).toEqual({
      '@odata.context': `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveAccessOriginResponse`,
      Response: `PrincipalId has direct poa access to object (${id})`,
    });
  });
});

describe('RetrieveAccessOrigin sentences', () => {
  it('owner, member of the owning team, and neither', async () => {
    const mine = rowId('account', 'Litware, Inc.');
    expect((await origin(mine, user(emulator(), DEMO.sam).systemuserid)).json.Response).toBe(`PrincipalId is object owner (${mine})`);
    const teams = rowId('account', 'Alpine Ski House');
    expect((await origin(teams, user(emulator(), DEMO.tess).systemuserid)).json.Response).toBe(
      `PrincipalId is member of team (${rowId('team', 'Sales Team')}) who is object owner (${teams})`,
    );
    expect((await origin(mine, user(emulator(), DEMO.riley).systemuserid)).json.Response).toBe(
      'Access origin could not be found. Access does not come from POA table or object ownership.',
    );
  });
});

describe('GrantAccess, ModifyAccess, RevokeAccess', () => {
  it('grant to a team counts for its members; modify replaces the rights; revoke removes the share', async () => {
    const id = rowId('account', 'Fourth Coffee');
    const team = { teamid: rowId('team', 'Sales Team'), '@odata.type': 'Microsoft.Dynamics.CRM.team' };
    const grant = await api(emulator(), 'POST', 'GrantAccess', { as: DEMO.admin, body: { Target: target(id), PrincipalAccess: { AccessMask: 'ReadAccess', Principal: team } } });
    expect(grant.status).toBe(204);
    // Tess holds Salesperson (Read at Local in Contoso Sales) only through the Sales Team.
    expect((await api(emulator(), 'GET', `accounts(${id})?$select=name`, { as: DEMO.tess })).status).toBe(200);
    expect((await origin(id, user(emulator(), DEMO.tess).systemuserid)).json.Response).toBe(
      `PrincipalId is member of team (${team.teamid}) who has poa access to object (${id})`,
    );
    // GrantAccess again adds rights; ModifyAccess replaces them.
    await api(emulator(), 'POST', 'GrantAccess', { as: DEMO.admin, body: { Target: target(id), PrincipalAccess: { AccessMask: 'WriteAccess', Principal: team } } });
    expect((await sharedWith(id)).json.PrincipalAccesses[0].AccessMask).toBe('ReadAccess, WriteAccess');
    const modify = await api(emulator(), 'POST', 'ModifyAccess', { as: DEMO.admin, body: { Target: target(id), PrincipalAccess: { AccessMask: 'DeleteAccess', Principal: team } } });
    expect(modify.status).toBe(204);
    expect((await sharedWith(id)).json.PrincipalAccesses[0].AccessMask).toBe('DeleteAccess');
    expect((await api(emulator(), 'GET', `accounts(${id})?$select=name`, { as: DEMO.tess })).status).toBe(403);
    const revoke = await api(emulator(), 'POST', 'RevokeAccess', { as: DEMO.admin, body: { Target: target(id), Revokee: team } });
    expect(revoke.status).toBe(204);
    expect((await sharedWith(id)).json.PrincipalAccesses).toEqual([]);
  });

  it('needs the Share right on the record: Sam may not share an account he does not own', async () => {
    const id = rowId('account', 'Contoso Pharmaceuticals');
    const response = await api(emulator(), 'POST', 'GrantAccess', {
      as: DEMO.sam,
      body: { Target: target(id), PrincipalAccess: { AccessMask: 'ReadAccess', Principal: asUser(DEMO.riley) } },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('is missing prvShareAccount privilege');
  });

  it('a mask that is not AccessRights, or a missing parameter, is a 400 and nothing is shared', async () => {
    const id = rowId('account', 'Coho Winery');
    const bad = await api(emulator(), 'POST', 'GrantAccess', { as: DEMO.admin, body: { Target: target(id), PrincipalAccess: { AccessMask: 'EverythingAccess', Principal: asUser(DEMO.riley) } } });
    expect(bad.status).toBe(400);
    const missing = await api(emulator(), 'POST', 'RevokeAccess', { as: DEMO.admin, body: { Target: target(id) } });
    expect(missing.status).toBe(400);
    expect((await sharedWith(id)).json.PrincipalAccesses).toEqual([]);
    expect((await api(emulator(), 'GET', 'GrantAccess')).status).toBe(404);
  });
});

describe('RetrieveRolePrivilegesRole and EntityMetadata.Privileges', () => {
  it('a role’s privileges with their depths, as RolePrivilege entries', async () => {
    const response = await api(emulator(), 'GET', `RetrieveRolePrivilegesRole(RoleId=${rowId('role', 'Salesperson')})`);
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toMatch(/#Microsoft\.Dynamics\.CRM\.RetrieveRolePrivilegesRoleResponse$/);
    const read = response.json.RolePrivileges.find((entry: { PrivilegeName: string }) => entry.PrivilegeName === 'prvReadAccount');
    expect(Object.keys(read)).toEqual(['Depth', 'PrivilegeId', 'BusinessUnitId', 'PrivilegeName']);
    expect(read.Depth).toBe('Local');
  });

  it('EntityDefinitions serve each table’s privileges by type', async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='systemuser')?$select=LogicalName,Privileges");
    expect(response.json.Privileges.map((privilege: { Name: string; PrivilegeType: string }) => `${privilege.PrivilegeType}:${privilege.Name}`)).toContain('Read:prvReadUser');
  });
});
