import { describe, expect, it } from 'vitest';
import type { RunningEmulator, SeedDocument } from '../../src/emulator/index.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

/**
 * Dataverse's security model over real HTTP: business units in a tree, the four depths, roles
 * held directly and through teams (their union), record ownership. RetrievePrincipalAccess
 * answers "can this user read that row" for every pair; collection reads leave out what the
 * user may not read and a single row outside the user's reach is 403.
 */
const SEED: SeedDocument = {
  organization: { name: 'Tree Co' },
  businessUnits: [
    { name: 'Tree Co' },
    { name: 'Division', parent: 'Tree Co' },
    { name: 'Region', parent: 'Division' },
    { name: 'Elsewhere', parent: 'Tree Co' },
  ],
  roles: [
    {
      name: 'Admin',
      privileges: {
        prvReadAccount: 'Global',
        // Enough on users and roles for any reading of "may assign a role" ($ref on systemuserroles_association).
        ...Object.fromEntries(
          ['User', 'Role'].flatMap((table) => ['Read', 'Write', 'Append', 'AppendTo'].map((verb) => [`prv${verb}${table}`, 'Global' as const])),
        ),
      },
    },
    { name: 'Basic Reader', privileges: { prvReadAccount: 'Basic', prvReadUser: 'Global' } },
    { name: 'Local Reader', privileges: { prvReadAccount: 'Local' } },
    { name: 'Deep Reader', privileges: { prvReadAccount: 'Deep' } },
    { name: 'Global Reader', privileges: { prvReadAccount: 'Global' } },
  ],
  users: [
    { fullname: 'Tree App', email: 'app@tree.test', roles: ['Admin'], application: { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 's' } },
    { fullname: 'Basic Bea', email: 'basic@tree.test', businessUnit: 'Division', roles: ['Basic Reader'] },
    { fullname: 'Local Lou', email: 'local@tree.test', businessUnit: 'Division', roles: ['Local Reader'] },
    { fullname: 'Deep Dee', email: 'deep@tree.test', businessUnit: 'Division', roles: ['Deep Reader'] },
    { fullname: 'Global Gil', email: 'global@tree.test', businessUnit: 'Region', roles: ['Global Reader'] },
    { fullname: 'Union Uma', email: 'union@tree.test', businessUnit: 'Division', roles: ['Basic Reader'] },
    { fullname: 'Other Otto', email: 'other@tree.test', businessUnit: 'Elsewhere' },
  ],
  teams: [{ name: 'Region Team', businessUnit: 'Region', members: ['union@tree.test'], roles: ['Local Reader'] }],
  rows: {
    account: [
      { name: 'Root Row', $owner: 'app@tree.test' },
      { name: 'Bea Row', $owner: 'basic@tree.test' },
      { name: 'Lou Row', $owner: 'local@tree.test' },
      { name: 'Gil Row', $owner: 'global@tree.test' },
      { name: 'Team Row', $owner: 'Region Team' },
      { name: 'Otto Row', $owner: 'other@tree.test' },
    ],
  },
};

const ALL = ['Bea Row', 'Gil Row', 'Lou Row', 'Otto Row', 'Root Row', 'Team Row'];
const READABLE: Record<string, string[]> = {
  'basic@tree.test': ['Bea Row'],
  'local@tree.test': ['Bea Row', 'Lou Row'],
  'deep@tree.test': ['Bea Row', 'Gil Row', 'Lou Row', 'Team Row'],
  'global@tree.test': ALL,
  // Basic directly (owns nothing; a team member reaches the team's rows) ∪ the team's Local from Region.
  'union@tree.test': ['Gil Row', 'Team Row'],
};

const tree = useEmulator({ seed: SEED });

function accountId(instance: RunningEmulator, name: string): string {
  for (const row of instance.core.store.rows('account').values()) if (row.name === name) return String(row.accountid);
  throw new Error(`no account ${name}`);
}

async function canRead(instance: RunningEmulator, email: string, account: string): Promise<boolean> {
  const response = await api(
    instance,
    'GET',
    `systemusers(${user(instance, email).systemuserid})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'accounts(${accountId(instance, account)})'}`,
    { as: 'app@tree.test' },
  );
  expect(response.status).toBe(200);
  return String(response.json.AccessRights).split(', ').includes('ReadAccess');
}

describe('depths over a business unit tree', () => {
  it.each(Object.entries(READABLE))('%s reaches exactly its rows (RetrievePrincipalAccess)', async (email, expected) => {
    const reachable: string[] = [];
    for (const name of ALL) if (await canRead(tree(), email, name)) reachable.push(name);
    expect(reachable).toEqual(expected);
  });

  it.each(Object.entries(READABLE))('%s sees exactly those rows in a collection', async (email, expected) => {
    const response = await api(tree(), 'GET', 'accounts?$select=name&$orderby=name', { as: email });
    expect(response.status).toBe(200);
    expect(response.json.value.map((row: { name: string }) => row.name)).toEqual(expected);
  });

  it('a single row outside the depth is 403 PrivilegeDenied; one inside is 200', async () => {
    const inside = await api(tree(), 'GET', `accounts(${accountId(tree(), 'Lou Row')})?$select=name`, { as: 'local@tree.test' });
    expect(inside.status).toBe(200);
    const outside = await api(tree(), 'GET', `accounts(${accountId(tree(), 'Gil Row')})?$select=name`, { as: 'local@tree.test' });
    expect(outside.status).toBe(403);
    expect(outside.json.error.code).toBe('0x80040220');
    expect(outside.json.error.message).toContain('is missing prvReadAccount privilege');
  });

  it('a user with no role at all gets 403 on a collection read', async () => {
    const response = await api(tree(), 'GET', 'accounts?$select=name', { as: 'other@tree.test' });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
  });
});

describe('roles through teams and their union with direct roles', () => {
  it("the privilege functions show the union: Uma's Basic direct role and the team's Local role", async () => {
    const uma = user(tree(), 'union@tree.test');
    const response = await api(
      tree(),
      'GET',
      `systemusers(${uma.systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvReadAccount')`,
      { as: 'app@tree.test' },
    );
    expect(response.json.RolePrivileges.map((entry: { Depth: string }) => entry.Depth).sort()).toEqual(['Basic', 'Local']);
  });

  it('a team in its own right holds exactly the grants its members hold through it, Basic reaching only what it owns', async () => {
    const security = tree().core.security;
    const team = [...tree().core.store.rows('team').values()].find((row) => row.name === 'Region Team');
    const teamId = String(team?.teamid);
    const uma = user(tree(), 'union@tree.test').systemuserid;
    const own = security.teamHoldings(teamId);
    const throughMember = [...security.holdings(uma).values()].flatMap((holding) =>
      holding.grants.filter((grant) => grant.teamId === teamId).map((grant) => [holding.name, grant.depth, grant.roleId, grant.businessUnitId]),
    );
    const teamOwn = [...own.values()].flatMap((holding) => holding.grants.map((grant) => [holding.name, grant.depth, grant.roleId, grant.businessUnitId]));
    expect(teamOwn).toEqual(throughMember);
    expect([...own.values()].every((holding) => holding.grants.every((grant) => [...grant.ownerIds].join() === teamId))).toBe(true);
    // RetrievePrincipalAccess on the team reads the same model: Local from Region.
    const reachable: string[] = [];
    for (const name of ALL) {
      const response = await api(
        tree(),
        'GET',
        `teams(${teamId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'accounts(${accountId(tree(), name)})'}`,
        { as: 'app@tree.test' },
      );
      if (String(response.json.AccessRights).split(', ').includes('ReadAccess')) reachable.push(name);
    }
    expect(reachable).toEqual(['Gil Row', 'Team Row']);
  });

  it('a role assigned through $ref takes effect on the next request', async () => {
    const otto = user(tree(), 'other@tree.test');
    const roleId = [...tree().core.store.rows('role').values()].find((row) => row.name === 'Global Reader')?.roleid as string;
    expect(await canRead(tree(), 'other@tree.test', 'Root Row')).toBe(false);
    const associated = await api(tree(), 'POST', `systemusers(${otto.systemuserid})/systemuserroles_association/$ref`, {
      as: 'app@tree.test',
      body: { '@odata.id': `${tree().apiUrl}roles(${roleId})` },
    });
    expect(associated.status).toBe(204);
    expect(await canRead(tree(), 'other@tree.test', 'Root Row')).toBe(true);
    const rows = await api(tree(), 'GET', 'accounts?$select=name', { as: 'other@tree.test' });
    expect(rows.json.value).toHaveLength(ALL.length);
  });
});

describe('the demo organisation', () => {
  const demo = useEmulator();
  const SALES_ACCOUNTS = ['Adventure Works', 'Alpine Ski House', 'Fabrikam, Inc.', 'Litware, Inc.'];

  it('Tess (Salesperson only through "Sales Team") reads the Contoso Sales accounts', async () => {
    const response = await api(demo(), 'GET', 'accounts?$select=name&$orderby=name', { as: DEMO.tess });
    expect(response.status).toBe(200);
    expect(response.json.value.map((row: { name: string }) => row.name)).toEqual(SALES_ACCOUNTS);
  });

  it('Sam (Salesperson, Local read) reads the same Contoso Sales accounts, and the one Alex shares with him', async () => {
    const response = await api(demo(), 'GET', 'accounts?$select=name&$orderby=name', { as: DEMO.sam });
    expect(response.json.value.map((row: { name: string }) => row.name)).toEqual(['Adventure Works', 'Alpine Ski House', 'Contoso Pharmaceuticals', 'Fabrikam, Inc.', 'Litware, Inc.']);
  });

  it('Riley (Reader, Global) reads every account but creates none', async () => {
    const read = await api(demo(), 'GET', 'accounts?$select=name', { as: DEMO.riley });
    expect(read.status).toBe(200);
    expect(read.json.value).toHaveLength(10);
    const create = await api(demo(), 'POST', 'accounts', { as: DEMO.riley, body: { name: 'Nope' } });
    expect(create.status).toBe(403);
    expect(create.json.error.message).toContain('is missing prvCreateAccount privilege');
  });

  it('Nora (no roles) gets 403 on reads, with her as the principal', async () => {
    const nora = user(demo(), DEMO.nora);
    for (const path of ['accounts?$select=name', 'contacts']) {
      const response = await api(demo(), 'GET', path, { as: DEMO.nora });
      expect(response.status).toBe(403);
      expect(response.json.error.code).toBe('0x80040220');
      expect(response.json.error.message).toContain(`Principal user (Id=${nora.systemuserid}, type=8, roleCount=0,`);
    }
  });

  it('Nora can still ask WhoAmI', async () => {
    const response = await api(demo(), 'GET', 'WhoAmI', { as: DEMO.nora });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(demo(), DEMO.nora).systemuserid);
  });

  it('a disabled user cannot call at all (401 0x8004A112)', async () => {
    const response = await api(demo(), 'GET', 'WhoAmI', { as: DEMO.dana });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('0x8004A112');
  });

  it('Owen OnPrem signs in by UPN and reads as himself', async () => {
    const response = await api(demo(), 'GET', 'WhoAmI', { as: DEMO.owen });
    expect(response.status).toBe(200);
    expect(response.json.UserId).toBe(user(demo(), DEMO.owen).systemuserid);
  });
});
