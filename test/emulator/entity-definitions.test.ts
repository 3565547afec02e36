import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';

const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;

describe('EntityDefinitions', () => {
  it("EntityDefinitions(LogicalName='account') returns the table's metadata with the real context and label shape", async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='account')");
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      '@odata.context': `${root()}$metadata#EntityDefinitions/$entity`,
      LogicalName: 'account',
      SchemaName: 'Account',
      EntitySetName: 'accounts',
      PrimaryIdAttribute: 'accountid',
      PrimaryNameAttribute: 'name',
      ObjectTypeCode: 1,
      OwnershipType: 'UserOwned',
      IsCustomEntity: false,
      MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(response.json.DisplayName.UserLocalizedLabel).toMatchObject({ Label: 'Account', LanguageCode: 1033 });
    expect(response.json.DisplayName.LocalizedLabels).toEqual([response.json.DisplayName.UserLocalizedLabel]);
  });

  it('is readable by a user without any privilege (metadata needs none)', async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='contact')?$select=LogicalName,PrimaryNameAttribute", { as: DEMO.nora });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      '@odata.context': `${root()}$metadata#EntityDefinitions(LogicalName,PrimaryNameAttribute)/$entity`,
      LogicalName: 'contact',
      PrimaryNameAttribute: 'fullname',
      MetadataId: expect.any(String),
    });
  });

  it('finds a table by MetadataId as well', async () => {
    const byName = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='task')?$select=LogicalName");
    const byId = await api(emulator(), 'GET', `EntityDefinitions(${byName.json.MetadataId})?$select=EntitySetName`);
    expect(byId.status).toBe(200);
    expect(byId.json.EntitySetName).toBe('tasks');
  });

  it('filters the collection by LogicalName or EntitySetName, with or', async () => {
    const response = await api(
      emulator(),
      'GET',
      "EntityDefinitions?$select=LogicalName,EntitySetName,ObjectTypeCode&$filter=LogicalName eq 'account' or EntitySetName eq 'systemusers'",
    );
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#EntityDefinitions(LogicalName,EntitySetName,ObjectTypeCode)`);
    expect(response.json.value).toEqual([
      { LogicalName: 'account', EntitySetName: 'accounts', ObjectTypeCode: 1, MetadataId: expect.any(String) },
      { LogicalName: 'systemuser', EntitySetName: 'systemusers', ObjectTypeCode: 8, MetadataId: expect.any(String) },
    ]);
    const owned = await api(emulator(), 'GET', `EntityDefinitions?$select=LogicalName&$filter=${encodeURIComponent("OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'")}`);
    expect(owned.json.value.map((table: { LogicalName: string }) => table.LogicalName).sort()).toEqual(['account', 'asyncoperation', 'contact', 'task']);
    const none = await api(emulator(), 'GET', "EntityDefinitions?$filter=LogicalName eq 'account' and IsCustomEntity eq true");
    expect(none.json.value).toEqual([]);
  });

  it('lists every table without a filter', async () => {
    const response = await api(emulator(), 'GET', 'EntityDefinitions?$select=LogicalName');
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#EntityDefinitions(LogicalName)`);
    expect(response.json.value.map((table: { LogicalName: string }) => table.LogicalName)).toEqual(
      expect.arrayContaining(['account', 'contact', 'task', 'systemuser', 'team', 'role', 'businessunit', 'privilege', 'organization']),
    );
  });

  it('lists attributes with their types', async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName,AttributeType,SchemaName");
    expect(response.status).toBe(200);
    const account = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='account')?$select=LogicalName");
    expect(response.json['@odata.context']).toBe(
      `${root()}$metadata#EntityDefinitions(${account.json.MetadataId})/Attributes(LogicalName,AttributeType,SchemaName)`,
    );
    expect(response.json.value).toContainEqual({
      '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
      LogicalName: 'name',
      AttributeType: 'String',
      SchemaName: 'name',
      MetadataId: expect.any(String),
    });
    expect(response.json.value).toContainEqual(expect.objectContaining({ LogicalName: 'primarycontactid', AttributeType: 'Lookup' }));
  });

  it('filters attributes and reads one by LogicalName', async () => {
    const lookups = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName&$filter=AttributeType eq 'Customer'");
    expect(lookups.json.value.map((attribute: { LogicalName: string }) => attribute.LogicalName)).toEqual(['parentcustomerid']);
    const one = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='parentcustomerid')");
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ LogicalName: 'parentcustomerid', AttributeType: 'Customer', Targets: ['account', 'contact'] });
  });

  it("an unknown logical name gets the service's 404", async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions(LogicalName='nosuchtable')");
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: {
        code: '0x80041102',
        message: "The entity with a name = 'nosuchtable' with namemapping = 'Logical' was not found in the MetadataCache.",
      },
    });
  });

  it('an unknown property in $select or $filter is the 400 "Could not find a property"', async () => {
    for (const path of ['EntityDefinitions?$select=Logicalname', "EntityDefinitions?$filter=Nope eq 'x'"]) {
      const response = await api(emulator(), 'GET', path);
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('0x0');
      expect(response.json.error.message).toMatch(/^Could not find a property named '(Logicalname|Nope)' on type 'Microsoft\.Dynamics\.CRM\.EntityMetadata'\.$/);
    }
  });

  it('refuses other methods and other query options', async () => {
    expect((await api(emulator(), 'POST', 'EntityDefinitions', { body: {} })).status).toBe(405);
    const top = await api(emulator(), 'GET', 'EntityDefinitions?$top=1');
    expect(top.status).toBe(400);
    expect(top.json.error.message).toBe("The query parameter '$top' is not supported.");
    expect((await api(emulator(), 'GET', "EntityDefinitions(LogicalName='account')/Nope")).status).toBe(404);
  });
});
