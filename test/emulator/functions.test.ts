import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();

const FN = 'Microsoft.Dynamics.CRM';

function userPath(email: string): string {
  return `systemusers(${user(emulator(), email).systemuserid})`;
}

function businessUnitId(emulator: RunningEmulator, table: 'systemuser' | 'team', name: string): string {
  const rows = [...emulator.core.store.rows(table).values()];
  const row = rows.find((candidate) => candidate.fullname === name || candidate.name === name);
  const unit = row && emulator.core.security.businessUnitOf(row);
  if (!unit) throw new Error(`no business unit for ${name}`);
  return unit;
}

function accountId(name: string): string {
  for (const row of emulator().core.store.rows('account').values()) if (row.name === name) return String(row.accountid);
  throw new Error(`no account ${name}`);
}

function teamId(name: string): string {
  for (const row of emulator().core.store.rows('team').values()) if (row.name === name) return String(row.teamid);
  throw new Error(`no team ${name}`);
}

function privilegeId(name: string): string {
  return String(emulator().core.security.privilege(name)?.privilegeid);
}

describe('RetrieveUserPrivileges', () => {
  it('answers with the RetrieveUserPrivilegesResponse shape, direct privileges at their depth', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivileges`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(Object.keys(response.json)).toEqual(['@odata.context', 'RolePrivileges']);
    expect(response.json['@odata.context']).toBe(
      `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
    );
    const salesUnit = businessUnitId(emulator(), 'systemuser', 'Sam Sales');
    const read = response.json.RolePrivileges.find((entry: { PrivilegeName: string }) => entry.PrivilegeName === 'prvReadAccount');
    expect(read).toEqual({ Depth: 'Local', PrivilegeId: privilegeId('prvReadAccount'), BusinessUnitId: salesUnit, PrivilegeName: 'prvReadAccount' });
    expect(Object.keys(read)).toEqual(['Depth', 'PrivilegeId', 'BusinessUnitId', 'PrivilegeName']);
    const names = response.json.RolePrivileges.map((entry: { PrivilegeName: string }) => entry.PrivilegeName);
    expect(names).toEqual([
      'prvAppendAccount',
      'prvAppendContact',
      'prvAppendToAccount',
      'prvAppendToContact',
      'prvCreateAccount',
      'prvCreateContact',
      'prvReadAccount',
      'prvReadContact',
      'prvReadUser',
      'prvWriteAccount',
      'prvWriteContact',
    ]);
  });

  it('reports privileges inherited through a team at Basic depth only', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.tess)}/${FN}.RetrieveUserPrivileges`);
    expect(response.status).toBe(200);
    const read = response.json.RolePrivileges.find((entry: { PrivilegeName: string }) => entry.PrivilegeName === 'prvReadAccount');
    // The Sales Team's Salesperson role grants Local read; the function still says Basic.
    expect(read).toEqual({
      Depth: 'Basic',
      PrivilegeId: privilegeId('prvReadAccount'),
      BusinessUnitId: businessUnitId(emulator(), 'team', 'Sales Team'),
      PrivilegeName: 'prvReadAccount',
    });
  });

  it('answers an empty list for a user without roles', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.nora)}/${FN}.RetrieveUserPrivileges()`);
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([]);
  });
});

describe('RetrieveUserPrivilegeByPrivilegeName', () => {
  const byName = (email: string, args: string) => api(emulator(), 'GET', `${userPath(email)}/${FN}.RetrieveUserPrivilegeByPrivilegeName(${args})`);

  it('returns the privilege at its effective depth, including a team role\'s real depth', async () => {
    const response = await byName(DEMO.tess, "PrivilegeName='prvReadAccount'");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeNameResponse`,
      RolePrivileges: [
        {
          Depth: 'Local',
          PrivilegeId: privilegeId('prvReadAccount'),
          BusinessUnitId: businessUnitId(emulator(), 'team', 'Sales Team'),
          PrivilegeName: 'prvReadAccount',
        },
      ],
    });
  });

  it('returns an empty array when the user lacks the privilege', async () => {
    const response = await byName(DEMO.riley, "PrivilegeName='prvCreateAccount'");
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([]);
  });

  it('leaves out team-inherited Basic privileges with ExcludeTeamBasic=true', async () => {
    const included = await byName(DEMO.tess, "PrivilegeName='prvWriteAccount'");
    expect(included.json.RolePrivileges).toHaveLength(1);
    expect(included.json.RolePrivileges[0].Depth).toBe('Basic');
    const excluded = await byName(DEMO.tess, "PrivilegeName='prvWriteAccount',ExcludeTeamBasic=true");
    expect(excluded.status).toBe(200);
    expect(excluded.json.RolePrivileges).toEqual([]);
    // A direct Basic privilege is not a team one: it stays.
    const direct = await byName(DEMO.sam, "PrivilegeName='prvWriteAccount',ExcludeTeamBasic=true");
    expect(direct.json.RolePrivileges).toHaveLength(1);
  });

  it('takes the name through a parameter alias', async () => {
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivilegeByPrivilegeName(PrivilegeName=@p1)?@p1='prvCreateAccount'`,
    );
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([
      expect.objectContaining({ Depth: 'Basic', PrivilegeName: 'prvCreateAccount' }),
    ]);
  });

  it('RetrieveUserPrivilegeByPrivilegeId finds the same privilege by its id', async () => {
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivilegeByPrivilegeId(PrivilegeId=${privilegeId('prvReadContact')})`,
    );
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([expect.objectContaining({ Depth: 'Local', PrivilegeName: 'prvReadContact' })]);
  });
});

describe('RetrieveUserSetOfPrivilegesByNames', () => {
  it.each([
    ['a JSON array', encodeURIComponent('["prvReadAccount","prvCreateAccount","prvDeleteAccount"]')],
    ['an OData collection with single quotes', "['prvReadAccount','prvCreateAccount','prvDeleteAccount']"],
  ])('takes the names as %s in a parameter alias', async (_label, alias) => {
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.sam)}/${FN}.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1)?@p1=${alias}`,
    );
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toMatch(/#Microsoft\.Dynamics\.CRM\.RetrieveUserSetOfPrivilegesByNamesResponse$/);
    expect(response.json.RolePrivileges.map((entry: { PrivilegeName: string; Depth: string }) => [entry.PrivilegeName, entry.Depth])).toEqual([
      ['prvCreateAccount', 'Basic'],
      ['prvReadAccount', 'Local'],
    ]);
  });

  it('honours ExcludeTeamBasic', async () => {
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.tess)}/${FN}.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1,ExcludeTeamBasic=@p2)?@p1=${encodeURIComponent('["prvReadAccount","prvWriteAccount"]')}&@p2=true`,
    );
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges.map((entry: { PrivilegeName: string }) => entry.PrivilegeName)).toEqual(['prvReadAccount']);
  });

  it('RetrieveUserSetOfPrivilegesByIds takes privilege ids', async () => {
    const ids = [privilegeId('prvReadAccount'), privilegeId('prvDeleteAccount')];
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.riley)}/${FN}.RetrieveUserSetOfPrivilegesByIds(PrivilegeIds=@p1)?@p1=${encodeURIComponent(JSON.stringify(ids))}`,
    );
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([expect.objectContaining({ Depth: 'Global', PrivilegeName: 'prvReadAccount' })]);
  });
});

describe('RetrievePrincipalAccess', () => {
  const access = (principal: string, target: string, options: { as?: string } = {}) =>
    api(emulator(), 'GET', `${principal}/${FN}.RetrievePrincipalAccess(Target=@p1)?@p1=${target}`, options);

  it('answers the rights of a user on a record it owns, as flag names joined by ", "', async () => {
    const response = await access(userPath(DEMO.sam), `{'@odata.id':'accounts(${accountId('Litware, Inc.')})'}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${emulator().url}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse`,
      AccessRights: 'ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess',
    });
  });

  it('measures each right against the row: Local read reaches the business unit, Basic write only own rows', async () => {
    const response = await access(
      userPath(DEMO.sam),
      encodeURIComponent(JSON.stringify({ '@odata.id': `accounts(${accountId('Fabrikam, Inc.')})` })),
    );
    expect(response.status).toBe(200);
    expect(response.json.AccessRights).toBe('ReadAccess');
  });

  it('answers None when no right reaches the record', async () => {
    const response = await access(userPath(DEMO.sam), `{'@odata.id':'accounts(${accountId('Fourth Coffee')})'}`);
    expect(response.json.AccessRights).toBe('None');
  });

  it('lists every right for a System Administrator, in the enum order', async () => {
    const response = await access(userPath(DEMO.admin), `{'@odata.id':'${emulator().url}/api/data/v9.2/accounts(${accountId('Fourth Coffee')})'}`);
    expect(response.json.AccessRights).toBe(
      'ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess, AssignAccess',
    );
  });

  it('is bound to teams too: a team reaches the rows it owns', async () => {
    const response = await access(`teams(${teamId('Sales Team')})`, `{'@odata.id':'/accounts(${accountId('Alpine Ski House')})'}`);
    expect(response.status).toBe(200);
    expect(response.json.AccessRights).toBe('ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess');
  });

  it('gets 404 for a target record that does not exist', async () => {
    const missing = '00000000-0000-0000-0000-0000000000aa';
    const response = await access(userPath(DEMO.sam), `{'@odata.id':'accounts(${missing})'}`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${missing} Does Not Exist` });
  });

  it('gets 400 for a Target without @odata.id, and for one that names no record', async () => {
    expect((await access(userPath(DEMO.sam), `{'name':'x'}`)).status).toBe(400);
    expect((await access(userPath(DEMO.sam), `{'@odata.id':'accounts'}`)).status).toBe(400);
  });

  it('reads Target as a bind URL is: the named primary key and any supported version name the record', async () => {
    const id = accountId('Litware, Inc.');
    for (const target of [`accounts(accountid=${id})`, `${emulator().url}/api/data/v9.0/accounts(${id})`, `/accounts(${id.toUpperCase()})`]) {
      const response = await access(userPath(DEMO.sam), encodeURIComponent(JSON.stringify({ '@odata.id': target })));
      expect(response.status).toBe(200);
      expect(response.json.AccessRights).toBe('ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess');
    }
  });

  it.each([
    ['another host', (id: string) => `https://elsewhere.crm.dynamics.com/api/data/v9.2/accounts(${id})`],
    ['a version the service does not have', (id: string) => `${emulator().url}/api/data/v8.0/accounts(${id})`],
    ['an alternate key the table does not define', (id: string) => `accounts(name=${id})`],
    ['several keys', (id: string) => `accounts(accountid=${id},name='x')`],
    ['an unknown entity set', (id: string) => `widgets(${id})`],
    ['a key that is not a GUID', () => 'accounts(12)'],
  ])('gets 400 for a Target URL naming %s, as a bind URL naming it is refused', async (_name, url) => {
    const target = url(accountId('Litware, Inc.'));
    const response = await access(userPath(DEMO.sam), encodeURIComponent(JSON.stringify({ '@odata.id': target })));
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x0', message: `The '@odata.id' value '${target}' of parameter 'Target' does not name a record.` });
  });

  it('needs the read privilege of the target table: Nora has none', async () => {
    const response = await access(userPath(DEMO.sam), `{'@odata.id':'accounts(${accountId('Litware, Inc.')})'}`, { as: DEMO.nora });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain(`Principal user (Id=${user(emulator(), DEMO.nora).systemuserid},`);
    expect(response.json.error.message).toContain('is missing prvReadAccount privilege');
  });
});

describe('who may call the privilege functions', () => {
  it("reading another user's privileges needs prvReadUser", async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivileges`, { as: DEMO.nora });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('0x80040220');
    expect(response.json.error.message).toContain('is missing prvReadUser privilege');
    expect(response.json.error.message).toContain("for entity 'systemuser'");
  });

  it('every user may read their own privileges', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.nora)}/${FN}.RetrieveUserPrivileges`, { as: DEMO.nora });
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([]);
  });

  it('under impersonation the privilege is intersected: the app as Riley (no prvReadUser) is refused', async () => {
    const riley = user(emulator(), DEMO.riley);
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivileges`, {
      headers: { CallerObjectId: riley.azureactivedirectoryobjectid as string },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.message).toContain(`Principal user (Id=${riley.systemuserid},`);
    expect(response.json.error.message).toContain('is missing prvReadUser privilege');
  });

  it('the app impersonating Sam (both hold prvReadUser) may read Alex\'s privileges', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.admin)}/${FN}.RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvDeleteAccount')`, {
      headers: { MSCRMCallerID: user(emulator(), DEMO.sam).systemuserid },
    });
    expect(response.status).toBe(200);
    expect(response.json.RolePrivileges).toEqual([expect.objectContaining({ Depth: 'Global', PrivilegeName: 'prvDeleteAccount' })]);
  });
});

describe('privilege function errors', () => {
  it('an unknown function is a segment the service cannot resolve', async () => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.RetrieveEverything()`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x8006088a', message: `Resource not found for the segment '${FN}.RetrieveEverything()'.` });
  });

  it('a function bound to systemuser, called on an account, is not found', async () => {
    const response = await api(emulator(), 'GET', `accounts(${accountId('Fourth Coffee')})/${FN}.RetrieveUserPrivileges`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x8006088a', message: `Resource not found for the segment '${FN}.RetrieveUserPrivileges'.` });
  });

  it.each(['POST', 'PATCH', 'DELETE'])('%s on a function finds no HTTP resource', async (method) => {
    const path = `${userPath(DEMO.sam)}/${FN}.RetrieveUserPrivileges`;
    const response = await api(emulator(), method, path, { body: {} });
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({
      code: '',
      message: `No HTTP resource was found that matches the request URI '${emulator().url}/api/data/v9.2/${path}'.`,
    });
  });

  it('a user that does not exist is 404 0x80040217', async () => {
    const missing = '00000000-0000-0000-0000-0000000000bb';
    const response = await api(emulator(), 'GET', `systemusers(${missing})/${FN}.RetrieveUserPrivileges`);
    expect(response.status).toBe(404);
    expect(response.json.error).toEqual({ code: '0x80040217', message: `Entity 'systemuser' With Id = ${missing} Does Not Exist` });
  });

  it('a malformed JSON collection gets the service\'s "Invalid JSON" 400', async () => {
    const response = await api(
      emulator(),
      'GET',
      `${userPath(DEMO.sam)}/${FN}.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1)?@p1=${encodeURIComponent('["prvReadAccount" "prvCreateAccount"]')}`,
    );
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: '0x0',
      message:
        "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.",
    });
  });

  it('a parameter value nested deeper than the service reads is a 400, not a crash', async () => {
    const deep = `${'['.repeat(15_000)}${']'.repeat(15_000)}`;
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p1)?@p1=${deep}`);
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({ code: '0x0', message: 'Recursion depth exceeded allowed limit.' });
  });

  it.each([
    ['a missing required parameter', `RetrieveUserPrivilegeByPrivilegeName()`],
    ['an unknown parameter', `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvReadAccount',Depth='Global')`],
    ['a value of the wrong type', `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName=true)`],
    ['an unterminated string literal', `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvReadAccount)`],
    ['an alias given no value', `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName=@p9)`],
    ['a non-GUID privilege id', `RetrieveUserPrivilegeByPrivilegeId(PrivilegeId=prvReadAccount)`],
    ['a non-boolean ExcludeTeamBasic', `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvReadAccount',ExcludeTeamBasic='yes')`],
  ])('%s is a 400', async (_label, call) => {
    const response = await api(emulator(), 'GET', `${userPath(DEMO.sam)}/${FN}.${call}`);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('0x0');
    expect(response.json.error.message).toEqual(expect.any(String));
  });
});
