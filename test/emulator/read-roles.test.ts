import { describe, expect, it } from 'vitest';
import { deterministicGuid } from '../../src/emulator/ids.js';
import { api, DEMO, useEmulator, user } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const names = (body: { value: Array<{ name: string }> }) => body.value.map((row) => row.name).sort();

/** The single query of docs/dataverse-web-api.md §5.2: a user's roles, direct and through teams. */
const rolesOf = (systemuserid: string) =>
  `roles?$select=name&$filter=${encodeURIComponent(
    `systemuserroles_association/any(o:o/systemuserid eq ${systemuserid}) or teamroles_association/any(t:t/teammembership_association/any(m:m/systemuserid eq ${systemuserid}))`,
  )}`;

describe("a user's security roles", () => {
  it.each([
    [DEMO.tess, ['Salesperson']],
    [DEMO.devon, ['Account Manager', 'Delegate']],
    [DEMO.sam, ['Salesperson']],
    [DEMO.app, ['Delegate', 'dvas Integration']],
    [DEMO.nora, []],
  ])('any() finds the direct and team roles of %s', async (email, expected) => {
    const response = await api(emulator(), 'GET', rolesOf(user(emulator(), email).systemuserid));
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#roles(name)`);
    expect(names(response.json)).toEqual(expected);
  });

  it('all() holds for every related row (and for none)', async () => {
    const filter = encodeURIComponent('systemuserroles_association/all(u:u/isdisabled eq false)');
    const response = await api(emulator(), 'GET', `roles?$select=name&$filter=${filter}`);
    // Dana Disabled holds Salesperson directly.
    expect(names(response.json)).toEqual(['Account Manager', 'Delegate', 'Reader', 'System Administrator', 'dvas Integration']);
  });

  it('systemusers(<id>)/systemuserroles_association lists the direct roles as a roles collection', async () => {
    const devon = user(emulator(), DEMO.devon);
    const response = await api(emulator(), 'GET', `systemusers(${devon.systemuserid})/systemuserroles_association?$select=name,roleid`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#roles(name,roleid)`,
      value: [{ '@odata.etag': expect.any(String), name: 'Account Manager', roleid: deterministicGuid('role:Account Manager') }],
    });
  });

  it("the team path: a user's teams with each team's roles", async () => {
    const devon = user(emulator(), DEMO.devon);
    const response = await api(
      emulator(),
      'GET',
      `systemusers(${devon.systemuserid})/teammembership_association?$select=name,teamtype&$expand=teamroles_association($select=name,roleid)`,
    );
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#teams(name,teamtype,teamroles_association(name,roleid))`);
    expect(response.json.value).toMatchObject([{ name: 'Delegates', teamtype: 0, teamroles_association: [{ name: 'Delegate' }] }]);
  });

  it("roles(<id>)/roleprivileges_association lists a role's privileges, ordered", async () => {
    const response = await api(emulator(), 'GET', `roles(${deterministicGuid('role:Reader')})/roleprivileges_association?$select=name&$orderby=name`);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#privileges(name)`,
      value: [
        { '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), name: 'prvReadAccount', privilegeid: deterministicGuid('privilege:prvReadAccount') },
        { '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), name: 'prvReadContact', privilegeid: deterministicGuid('privilege:prvReadContact') },
      ],
    });
  });

  it('a navigation collection needs Read on the parent row and on the related table', async () => {
    const devon = user(emulator(), DEMO.devon);
    const path = `systemusers(${devon.systemuserid})/systemuserroles_association?$select=name`;
    // Sam may read users but not roles; Nora may read neither; a missing user is a 404.
    expect((await api(emulator(), 'GET', path, { as: DEMO.sam })).status).toBe(403);
    expect((await api(emulator(), 'GET', path, { as: DEMO.nora })).status).toBe(403);
    const missing = await api(emulator(), 'GET', 'systemusers(00000000-0000-0000-0000-000000000009)/systemuserroles_association');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe("Entity 'systemuser' With Id = 00000000-0000-0000-0000-000000000009 Does Not Exist");
  });

  it('an unknown navigation property inside a lambda is the 400 "Could not find a property"', async () => {
    const response = await api(emulator(), 'GET', `roles?$filter=${encodeURIComponent('teamroles_association/any(t:t/members/any(m:m/systemuserid eq null))')}`);
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe("Could not find a property named 'members' on type 'Microsoft.Dynamics.CRM.team'.");
  });
});
