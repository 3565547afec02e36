import { describe, expect, it } from 'vitest';
import { api, DEMO, useEmulator } from '../helpers/emulator.js';

/**
 * Table definitions as Microsoft's clients query them, checked against the shapes of
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api and
 * …/retrieve-metadata-name-metadataid.
 */
const emulator = useEmulator();
const root = () => `${emulator().url}/api/data/v9.2/`;
const ACCOUNT = "EntityDefinitions(LogicalName='account')";

const labelShape = (text: string) => {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/), HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
};
const optionShape = (value: number, text: string) => ({
  Value: value,
  Color: null,
  IsManaged: true,
  ExternalValue: null,
  ParentValues: [],
  Tag: null,
  IsHidden: false,
  MetadataId: null,
  HasChanged: null,
  Label: labelShape(text),
  Description: { LocalizedLabels: [], UserLocalizedLabel: null },
});

async function accountId(): Promise<string> {
  return (await api(emulator(), 'GET', `${ACCOUNT}?$select=LogicalName`)).json.MetadataId;
}

describe('casts of Attributes to derived types', () => {
  it("the Python SDK's choice query: Attributes/…PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)", async () => {
    const response = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`);
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(
      `${root()}$metadata#EntityDefinitions(${await accountId()})/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata(LogicalName,OptionSet(Options))`,
    );
    const names = response.json.value.map((item: { LogicalName: string }) => item.LogicalName);
    expect(names).toEqual(['industrycode', 'accountcategorycode', 'customertypecode']);
    const category = response.json.value.find((item: { LogicalName: string }) => item.LogicalName === 'accountcategorycode');
    // Items are of the cast type: no @odata.type.
    expect(category).toEqual({
      MetadataId: expect.any(String),
      LogicalName: 'accountcategorycode',
      OptionSet: { MetadataId: expect.any(String), Options: [optionShape(1, 'Preferred Customer'), optionShape(2, 'Standard')] },
    });
  });

  it("one attribute by name, cast, with OptionSet and GlobalOptionSet (the docs' example, same option set in both)", async () => {
    const response = await api(
      emulator(),
      'GET',
      `${ACCOUNT}/Attributes(LogicalName='accountcategorycode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
    );
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(
      `${root()}$metadata#EntityDefinitions(${await accountId()})/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata(LogicalName,OptionSet(Options),GlobalOptionSet(Options))/$entity`,
    );
    expect(response.json.GlobalOptionSet).toEqual(response.json.OptionSet);
    expect(response.json.OptionSet.Options[0]).toEqual(optionShape(1, 'Preferred Customer'));
  });

  it('the whole OptionSet without a nested $select, and the OptionSet path of one attribute', async () => {
    const full = await api(emulator(), 'GET', `${ACCOUNT}/Attributes(LogicalName='industrycode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`);
    expect(full.json['@odata.context']).toMatch(/PicklistAttributeMetadata\(LogicalName,OptionSet\)\/\$entity$/);
    expect(full.json.OptionSet).toMatchObject({
      Name: 'account_industrycode',
      OptionSetType: 'Picklist',
      IsGlobal: false,
      IsCustomOptionSet: false,
      IsManaged: true,
      IsCustomizable: { Value: true, CanBeChanged: false, ManagedPropertyLogicalName: 'iscustomizable' },
      DisplayName: labelShape('Industry'),
      Description: { LocalizedLabels: [], UserLocalizedLabel: null },
      MetadataId: expect.any(String),
      HasChanged: null,
    });
    const attribute = await api(emulator(), 'GET', `${ACCOUNT}/Attributes(LogicalName='industrycode')?$select=LogicalName`);
    const path = await api(emulator(), 'GET', `${ACCOUNT}/Attributes(${attribute.json.MetadataId})/Microsoft.Dynamics.CRM.PicklistAttributeMetadata/OptionSet?$select=Options`);
    expect(path.status).toBe(200);
    expect(path.json['@odata.context']).toBe(
      `${root()}$metadata#EntityDefinitions(${await accountId()})/Attributes(${attribute.json.MetadataId})/Microsoft.Dynamics.CRM.PicklistAttributeMetadata/OptionSet(Options)/$entity`,
    );
    expect(path.json.MetadataId).toBe(full.json.OptionSet.MetadataId);
    expect(path.json.Options.map((option: { Value: number }) => option.Value)).toEqual([1, 2, 3, 7, 33]);
  });

  it('Boolean, State and Status casts: TrueOption/FalseOption, DefaultStatus/InvariantName, State', async () => {
    const booleans = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.BooleanAttributeMetadata?$select=LogicalName,DefaultValue&$expand=OptionSet`);
    const credit = booleans.json.value.find((item: { LogicalName: string }) => item.LogicalName === 'creditonhold');
    expect(credit).toMatchObject({ DefaultValue: false, OptionSet: { OptionSetType: 'Boolean', TrueOption: { Value: 1, Label: labelShape('Yes') }, FalseOption: { Value: 0, Label: labelShape('No') } } });
    expect(credit.OptionSet.Options).toBeUndefined();
    const states = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`);
    expect(states.json.value).toEqual([
      { MetadataId: expect.any(String), LogicalName: 'statecode', OptionSet: { MetadataId: expect.any(String), Options: [expect.objectContaining({ Value: 0, DefaultStatus: 1, InvariantName: 'Active' }), expect.objectContaining({ Value: 1, DefaultStatus: 2, InvariantName: 'Inactive' })] } },
    ]);
    const statuses = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$expand=OptionSet($select=Options)&$select=LogicalName`);
    expect(statuses.json.value[0].OptionSet.Options.map((option: { Value: number; State: number }) => [option.Value, option.State])).toEqual([[1, 0], [2, 1]]);
  });

  it('Lookup, String, Money and MultiSelectPicklist casts, with their own properties', async () => {
    const lookups = await api(emulator(), 'GET', `EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=LogicalName,Targets&$filter=LogicalName eq 'parentcustomerid'`);
    expect(lookups.json.value).toEqual([{ MetadataId: expect.any(String), LogicalName: 'parentcustomerid', Targets: ['account', 'contact'] }]);
    const strings = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength,FormatName&$filter=MaxLength gt 150`);
    expect(strings.json.value.map((item: { LogicalName: string }) => item.LogicalName).sort()).toEqual(['name', 'websiteurl']);
    expect(strings.json.value[0].FormatName).toEqual({ Value: 'Text' });
    const money = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,Precision`);
    expect(money.json.value).toEqual([{ MetadataId: expect.any(String), LogicalName: 'revenue', Precision: 2 }]);
    const multi = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`);
    expect(multi.status).toBe(200);
    expect(multi.json.value).toEqual([]);
  });

  it('casts that cannot be made are 404 (EnumAttributeMetadata, as the docs say; an attribute of another type; an unknown type)', async () => {
    for (const path of [
      `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.EnumAttributeMetadata`,
      `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.NoSuchMetadata`,
      `${ACCOUNT}/Attributes(LogicalName='name')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`,
    ]) {
      const response = await api(emulator(), 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.json.error.code).toBe('0x8006088a');
    }
  });

  it('OptionSet is not on the base type, and is expanded, not selected', async () => {
    const base = await api(emulator(), 'GET', `${ACCOUNT}/Attributes?$select=LogicalName,OptionSet`);
    expect(base.status).toBe(400);
    expect(base.json.error.message).toBe("Could not find a property named 'OptionSet' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.");
    const selected = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=OptionSet`);
    expect(selected.status).toBe(400);
    const badNested = await api(emulator(), 'GET', `${ACCOUNT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet($select=Nope)`);
    expect(badNested.json.error.message).toBe("Could not find a property named 'Nope' on type 'Microsoft.Dynamics.CRM.OptionSetMetadata'.");
  });
});

describe('EntityMetadata and AttributeMetadata properties clients filter and select on', () => {
  it('EntityDefinitions?$filter=IsPrivate eq false, with IsCustomEntity and IsValidForAdvancedFind', async () => {
    const response = await api(emulator(), 'GET', 'EntityDefinitions?$select=LogicalName,IsPrivate,IsCustomEntity,IsValidForAdvancedFind,IsIntersect,TableType&$filter=IsPrivate eq false and IsValidForAdvancedFind eq true');
    expect(response.status).toBe(200);
    expect(response.json.value).toContainEqual({ MetadataId: expect.any(String), LogicalName: 'account', IsPrivate: false, IsCustomEntity: false, IsValidForAdvancedFind: true, IsIntersect: false, TableType: 'Standard' });
  });

  it('managed properties filter through /Value (CanCreateAttributes/Value eq true; RequiredLevel/Value eq …AttributeRequiredLevel)', async () => {
    const tables = await api(emulator(), 'GET', 'EntityDefinitions?$select=LogicalName,CanCreateAttributes&$filter=CanCreateAttributes/Value eq true');
    expect(tables.json.value.length).toBeGreaterThan(5);
    expect(tables.json.value[0].CanCreateAttributes).toEqual({ Value: true, CanBeChanged: false, ManagedPropertyLogicalName: 'cancreateattributes' });
    const required = await api(
      emulator(),
      'GET',
      `${ACCOUNT}/Attributes?$select=SchemaName,RequiredLevel&$filter=${encodeURIComponent("RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'")}`,
    );
    expect(required.json.value).toEqual([
      { '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata', MetadataId: expect.any(String), SchemaName: 'name', RequiredLevel: { Value: 'ApplicationRequired', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' } },
    ]);
  });

  it('AttributeOf, IsValidForCreate/Update/Read, IsPrimaryId, IsPrimaryName', async () => {
    const response = await api(
      emulator(),
      'GET',
      `${ACCOUNT}/Attributes?$select=LogicalName,AttributeOf,IsValidForCreate,IsValidForUpdate,IsValidForRead,IsPrimaryId,IsPrimaryName&$filter=AttributeOf eq null and (IsPrimaryId eq true or LogicalName eq 'createdon' or IsPrimaryName eq true)`,
    );
    expect(response.status).toBe(200);
    const byName = Object.fromEntries(response.json.value.map((item: Record<string, unknown>) => [item.LogicalName, item]));
    expect(byName.accountid).toMatchObject({ AttributeOf: null, IsPrimaryId: true, IsValidForCreate: true, IsValidForUpdate: false, IsValidForRead: true });
    expect(byName.name).toMatchObject({ IsPrimaryName: true, IsValidForCreate: true, IsValidForUpdate: true });
    expect(byName.createdon).toMatchObject({ IsValidForCreate: false, IsValidForUpdate: false, IsValidForRead: true });
    const advancedFind = await api(emulator(), 'GET', `${ACCOUNT}/Attributes?$select=LogicalName&$filter=IsValidForAdvancedFind/Value eq true and LogicalName eq 'name'`);
    expect(advancedFind.json.value).toHaveLength(1);
  });

  it('$expand=Attributes on a table gives base properties with each item typed', async () => {
    const response = await api(emulator(), 'GET', `${ACCOUNT}?$select=LogicalName&$expand=Attributes($select=LogicalName;$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist')`);
    expect(response.status).toBe(200);
    expect(response.json['@odata.context']).toBe(`${root()}$metadata#EntityDefinitions(LogicalName,Attributes(LogicalName))/$entity`);
    expect(response.json.Attributes).toEqual(
      ['industrycode', 'accountcategorycode', 'customertypecode'].map((name) => ({ '@odata.type': '#Microsoft.Dynamics.CRM.PicklistAttributeMetadata', MetadataId: expect.any(String), LogicalName: name })),
    );
  });

  it("a table's Privileges, as SecurityPrivilegeMetadata in the docs' order", async () => {
    const response = await api(emulator(), 'GET', `${ACCOUNT}?$select=LogicalName,Privileges`);
    expect(response.json.Privileges.map((privilege: { PrivilegeType: string }) => privilege.PrivilegeType)).toEqual(['Create', 'Read', 'Write', 'Delete', 'Assign', 'Share', 'Append', 'AppendTo']);
    expect(response.json.Privileges[1]).toEqual({
      CanBeBasic: true, CanBeDeep: true, CanBeGlobal: true, CanBeLocal: true, CanBeEntityReference: false, CanBeParentEntityReference: false, CanBeRecordFilter: false,
      Name: 'prvReadAccount', PrivilegeId: expect.stringMatching(/^[0-9a-f-]{36}$/), PrivilegeType: 'Read',
    });
    const privilege = await api(emulator(), 'GET', `privileges?$select=name&$filter=name eq 'prvReadAccount'`, { as: DEMO.admin });
    expect(privilege.json.value[0].privilegeid).toBe(response.json.Privileges[1].PrivilegeId);
  });

  it("Keys: EntityDefinitions?$select=SchemaName&$expand=Keys($select=KeyAttributes) (define-alternate-keys-entity) and …/Keys", async () => {
    const response = await api(emulator(), 'GET', "EntityDefinitions?$select=SchemaName&$expand=Keys($select=KeyAttributes)&$filter=LogicalName eq 'account'");
    expect(response.json.value).toEqual([{ MetadataId: expect.any(String), SchemaName: 'Account', Keys: [{ MetadataId: expect.any(String), KeyAttributes: ['accountnumber'] }] }]);
    const keys = await api(emulator(), 'GET', `${ACCOUNT}/Keys`);
    expect(keys.json.value).toEqual([
      expect.objectContaining({ LogicalName: 'accountnumberkey', SchemaName: 'AccountNumberKey', KeyAttributes: ['accountnumber'], EntityLogicalName: 'account', EntityKeyIndexStatus: 'Active', DisplayName: labelShape('Account Number') }),
    ]);
    const one = await api(emulator(), 'GET', `${ACCOUNT}/Keys(LogicalName='accountnumberkey')?$select=KeyAttributes`);
    expect(one.json).toEqual({ '@odata.context': expect.stringMatching(/\/Keys\(KeyAttributes\)\/\$entity$/), MetadataId: expect.any(String), KeyAttributes: ['accountnumber'] });
  });

  it('$expand of relationship definitions is refused as not emulated (501), never answered as something else', async () => {
    const response = await api(emulator(), 'GET', `${ACCOUNT}?$expand=ManyToOneRelationships`);
    expect(response.status).toBe(501);
    expect(response.json.error.message).toMatch(/^Not emulated: .*Relationships/);
  });
});

describe('choices in the demo organisation have labels, so formatted values show them', () => {
  it('accountcategorycode and customertypecode come with their labels', async () => {
    const response = await api(emulator(), 'GET', "accounts(accountnumber='ACC-001')?$select=accountcategorycode,customertypecode,industrycode", {
      headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    expect(response.json).toMatchObject({
      'accountcategorycode@OData.Community.Display.V1.FormattedValue': 'Preferred Customer',
      'customertypecode@OData.Community.Display.V1.FormattedValue': 'Customer',
      'industrycode@OData.Community.Display.V1.FormattedValue': 'Retail',
    });
  });
});
