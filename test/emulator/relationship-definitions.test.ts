import { describe, expect, it } from 'vitest';
import { api, useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const filter = (text: string) => `$filter=${encodeURIComponent(text)}`;

/**
 * EntityDefinitions(…)/OneToManyRelationships, ManyToOneRelationships and ManyToManyRelationships,
 * in the shapes of the Web API reference: what a client reads to know whether a navigation
 * property is single-valued (PUT …/$ref) or collection-valued (POST …/$ref), and which table it leads to.
 */
describe('relationship definitions', () => {
  it('ManyToOneRelationships names the lookup navigation property and the table it leads to', async () => {
    const response = await api(
      emulator(),
      'GET',
      `EntityDefinitions(LogicalName='contact')/ManyToOneRelationships?$select=SchemaName,ReferencedEntity,ReferencingAttribute,ReferencingEntityNavigationPropertyName&${filter("ReferencingEntityNavigationPropertyName eq 'parentcustomerid_account'")}`,
    );
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toMatch(
      /\$metadata#EntityDefinitions\([0-9a-f-]{36}\)\/ManyToOneRelationships\(SchemaName,ReferencedEntity,ReferencingAttribute,ReferencingEntityNavigationPropertyName\)$/,
    );
    expect(response.json.value).toEqual([
      {
        MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        SchemaName: 'contact_customer_accounts',
        ReferencedEntity: 'account',
        ReferencingAttribute: 'parentcustomerid',
        ReferencingEntityNavigationPropertyName: 'parentcustomerid_account',
      },
    ]);
  });

  it("OneToManyRelationships is the same relationship seen from the referenced table, with the same MetadataId", async () => {
    const [many, one] = await Promise.all([
      api(emulator(), 'GET', `EntityDefinitions(LogicalName='contact')/ManyToOneRelationships?${filter("SchemaName eq 'contact_customer_accounts'")}`),
      api(emulator(), 'GET', `EntityDefinitions(LogicalName='account')/OneToManyRelationships?${filter("ReferencedEntityNavigationPropertyName eq 'contact_customer_accounts'")}`),
    ]);
    expect(one.json.value).toHaveLength(1);
    expect(one.json.value[0]).toEqual(many.json.value[0]);
    expect(one.json.value[0]).toMatchObject({
      RelationshipType: 'OneToManyRelationship',
      ReferencedEntity: 'account',
      ReferencedAttribute: 'accountid',
      ReferencingEntity: 'contact',
      ReferencedEntityNavigationPropertyName: 'contact_customer_accounts',
      IsCustomizable: { Value: true, ManagedPropertyLogicalName: 'iscustomizable' },
    });
  });

  it('ManyToManyRelationships names both sides and their navigation properties, from either table', async () => {
    const fromUser = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='systemuser')/ManyToManyRelationships?$select=SchemaName,Entity1LogicalName,Entity2LogicalName,Entity1NavigationPropertyName,Entity2NavigationPropertyName,IntersectEntityName`);
    expect(fromUser.status).toBe(200);
    expect(fromUser.json.value).toEqual(
      expect.arrayContaining([
        {
          MetadataId: expect.any(String),
          SchemaName: 'teammembership_association',
          Entity1LogicalName: 'systemuser',
          Entity2LogicalName: 'team',
          Entity1NavigationPropertyName: 'teammembership_association',
          Entity2NavigationPropertyName: 'teammembership_association',
          IntersectEntityName: 'teammembership',
        },
      ]),
    );
    const fromRole = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='role')/ManyToManyRelationships?$select=SchemaName&${filter("Entity1LogicalName eq 'systemuser'")}`);
    expect(fromRole.json.value.map((item: { SchemaName: string }) => item.SchemaName)).toEqual(['systemuserroles_association']);
  });

  it('one relationship by MetadataId; an unknown one is 404, a property it lacks is 400', async () => {
    const list = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='team')/ManyToManyRelationships?$select=SchemaName`);
    const first = list.json.value[0];
    const one = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='team')/ManyToManyRelationships(${first.MetadataId})?$select=SchemaName`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ SchemaName: first.SchemaName, '@odata.context': expect.stringMatching(/\/ManyToManyRelationships\(SchemaName\)\/\$entity$/) });
    const missing = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='team')/ManyToManyRelationships(00000000-0000-0000-0000-000000000001)`);
    expect(missing.status).toBe(404);
    const unknown = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='team')/ManyToManyRelationships?$select=ReferencedEntity`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain("Could not find a property named 'ReferencedEntity'");
  });
});
