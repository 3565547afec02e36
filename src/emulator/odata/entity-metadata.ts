import { deterministicGuid } from '../ids.js';
import { defineTable } from '../metadata/define.js';
import { privilegeName, privilegeVerbsFor, type AttributeDef, type AttributeType, type TableDef } from '../metadata/types.js';
import type { Row } from '../store/types.js';

/**
 * EntityMetadata and AttributeMetadata as the Web API serves them under `EntityDefinitions`,
 * built from the emulator's table definitions. Each has a pseudo-table of its scalar properties so
 * that `$filter` and `$select` run through the same engine as data queries (and an unknown name
 * gets the same "Could not find a property named … on type 'Microsoft.Dynamics.CRM.EntityMetadata'").
 */
export const ENTITY_METADATA = defineTable({
  logicalName: 'EntityMetadata',
  entitySetName: 'EntityDefinitions',
  primaryIdAttribute: 'MetadataId',
  primaryNameAttribute: 'LogicalName',
  objectTypeCode: 0,
  ownershipType: 'None',
  auditColumns: false,
  columns: [
    { name: 'LogicalName', type: 'String' },
    { name: 'SchemaName', type: 'String' },
    { name: 'EntitySetName', type: 'String' },
    { name: 'LogicalCollectionName', type: 'String' },
    { name: 'PrimaryIdAttribute', type: 'String' },
    { name: 'PrimaryNameAttribute', type: 'String' },
    { name: 'ObjectTypeCode', type: 'Integer' },
    { name: 'OwnershipType', type: 'String' },
    { name: 'IsCustomEntity', type: 'Boolean' },
    { name: 'IsActivity', type: 'Boolean' },
  ],
});

export const ATTRIBUTE_METADATA = defineTable({
  logicalName: 'AttributeMetadata',
  entitySetName: 'Attributes',
  primaryIdAttribute: 'MetadataId',
  primaryNameAttribute: 'LogicalName',
  objectTypeCode: 0,
  ownershipType: 'None',
  auditColumns: false,
  columns: [
    { name: 'LogicalName', type: 'String' },
    { name: 'SchemaName', type: 'String' },
    { name: 'EntityLogicalName', type: 'String' },
    { name: 'AttributeType', type: 'String' },
    { name: 'IsPrimaryId', type: 'Boolean' },
    { name: 'IsPrimaryName', type: 'Boolean' },
    { name: 'IsCustomAttribute', type: 'Boolean' },
    { name: 'MaxLength', type: 'Integer' },
  ],
});

/** Properties that are not scalar (labels, target lists): selectable, but not in the filter pseudo-table. */
export const ENTITY_COMPLEX_PROPERTIES: readonly string[] = ['DisplayName', 'DisplayCollectionName', 'Privileges'];
export const ATTRIBUTE_COMPLEX_PROPERTIES: readonly string[] = ['DisplayName', 'AttributeTypeName', 'Targets', 'OptionSet'];

export function entityMetadataId(table: TableDef): string {
  return deterministicGuid(`entity-metadata:${table.logicalName}`);
}

/** The scalar properties of a table's EntityMetadata, as a row for $filter. */
export function entityMetadataRow(table: TableDef): Row {
  return { MetadataId: entityMetadataId(table), ...entityScalars(table) };
}

function entityScalars(table: TableDef): Row {
  return {
    LogicalName: table.logicalName,
    SchemaName: table.schemaName,
    EntitySetName: table.entitySetName,
    LogicalCollectionName: table.entitySetName,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
    ObjectTypeCode: table.objectTypeCode,
    OwnershipType: table.ownershipType,
    IsCustomEntity: table.isCustomEntity,
    IsActivity: table.primaryIdAttribute === 'activityid',
  };
}

/** The EntityMetadata JSON object: its scalar properties plus labels in the service's Label shape. */
export function entityMetadata(table: TableDef): Record<string, unknown> {
  const id = entityMetadataId(table);
  return {
    ...entityScalars(table),
    DisplayName: label(table.displayName, `${id}:DisplayName`),
    DisplayCollectionName: label(table.displayCollectionName, `${id}:DisplayCollectionName`),
    Privileges: securityPrivileges(table),
    MetadataId: id,
  };
}

/**
 * EntityMetadata.Privileges: the table's privileges as SecurityPrivilegeMetadata
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/securityprivilegemetadata),
 * ids as the seed gives them. Organisation-owned tables know only Global.
 */
function securityPrivileges(table: TableDef): Array<Record<string, unknown>> {
  if (table.logicalName === 'privilege') return [];
  const orgOwned = table.ownershipType === 'OrganizationOwned';
  return privilegeVerbsFor(table).map((verb) => {
    const name = privilegeName(verb, table);
    return {
      CanBeBasic: !orgOwned,
      CanBeDeep: !orgOwned,
      CanBeGlobal: true,
      CanBeLocal: !orgOwned,
      CanBeEntityReference: false,
      CanBeParentEntityReference: false,
      Name: name,
      PrivilegeId: deterministicGuid(`privilege:${name}`),
      PrivilegeType: verb,
    };
  });
}

export function attributeMetadataId(table: TableDef, attribute: AttributeDef): string {
  return deterministicGuid(`attribute-metadata:${table.logicalName}.${attribute.logicalName}`);
}

export function attributeMetadataRow(table: TableDef, attribute: AttributeDef): Row {
  return { MetadataId: attributeMetadataId(table, attribute), ...attributeScalars(table, attribute), MaxLength: attribute.maxLength ?? null };
}

function attributeScalars(table: TableDef, attribute: AttributeDef): Row {
  return {
    LogicalName: attribute.logicalName,
    SchemaName: attribute.schemaName,
    EntityLogicalName: table.logicalName,
    AttributeType: attribute.type,
    IsPrimaryId: attribute.logicalName === table.primaryIdAttribute,
    IsPrimaryName: attribute.logicalName === table.primaryNameAttribute,
    IsCustomAttribute: table.isCustomEntity,
  };
}

/**
 * The AttributeMetadata JSON object. Items of the `Attributes` collection are of derived types,
 * so each names its type in `@odata.type` (`#Microsoft.Dynamics.CRM.StringAttributeMetadata`).
 */
export function attributeMetadata(table: TableDef, attribute: AttributeDef): Record<string, unknown> {
  const id = attributeMetadataId(table, attribute);
  return {
    '@odata.type': `#Microsoft.Dynamics.CRM.${METADATA_TYPES[attribute.type]}`,
    ...attributeScalars(table, attribute),
    AttributeTypeName: { Value: `${attribute.type}Type` },
    ...(attribute.maxLength !== undefined ? { MaxLength: attribute.maxLength } : {}),
    ...(attribute.targets ? { Targets: [...attribute.targets] } : {}),
    ...(attribute.options ? { OptionSet: optionSet(attribute.options) } : {}),
    DisplayName: label(attribute.displayName, `${id}:DisplayName`),
    MetadataId: id,
  };
}

const METADATA_TYPES: Readonly<Record<AttributeType, string>> = {
  Uniqueidentifier: 'UniqueIdentifierAttributeMetadata',
  String: 'StringAttributeMetadata',
  Memo: 'MemoAttributeMetadata',
  Integer: 'IntegerAttributeMetadata',
  BigInt: 'BigIntAttributeMetadata',
  Decimal: 'DecimalAttributeMetadata',
  Double: 'DoubleAttributeMetadata',
  Money: 'MoneyAttributeMetadata',
  Boolean: 'BooleanAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata',
  Lookup: 'LookupAttributeMetadata',
  Customer: 'LookupAttributeMetadata',
  Owner: 'LookupAttributeMetadata',
  Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata',
  Status: 'StatusAttributeMetadata',
  EntityName: 'EntityNameAttributeMetadata',
};

/** Dataverse's Label complex type: every localized label plus the one in the user's language (1033). */
function label(text: string, seed: string): Record<string, unknown> {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: deterministicGuid(`label:${seed}`), HasChanged: null };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

function optionSet(options: Readonly<Record<number, string>>): Record<string, unknown> {
  return {
    Options: Object.entries(options).map(([value, text]) => ({ Value: Number(value), Label: label(text, `option:${value}:${text}`) })),
  };
}
