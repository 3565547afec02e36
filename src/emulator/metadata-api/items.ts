import { deterministicGuid } from '../ids.js';
import { privilegeName, privilegeVerbsFor, type AttributeDef, type AttributeType, type KeyDef, type TableDef } from '../metadata/types.js';
import { EMPTY_LABEL, label, managed } from './labels.js';

/**
 * The JSON of EntityMetadata, AttributeMetadata (as its derived type) and EntityKeyMetadata, with
 * every property the emulator serves, in the shapes of Microsoft's metadata pages
 * (query-metadata-web-api, retrieve-metadata-name-metadataid, create-update-entity-definitions,
 * define-alternate-keys-entity). Values the emulator's tables do not carry are the defaults of a
 * standard table (docs/emulator-decisions.md).
 */
export function entityMetadataId(table: TableDef): string {
  return deterministicGuid(`entity-metadata:${table.logicalName}`);
}

export function attributeMetadataId(table: TableDef, attribute: AttributeDef): string {
  return deterministicGuid(`attribute-metadata:${table.logicalName}.${attribute.logicalName}`);
}

export function keyMetadataId(table: TableDef, key: KeyDef): string {
  return deterministicGuid(`key-metadata:${table.logicalName}.${key.logicalName}`);
}

export function entityJson(table: TableDef): Record<string, unknown> {
  const id = entityMetadataId(table);
  const custom = table.isCustomEntity;
  return {
    MetadataId: id,
    HasChanged: null,
    LogicalName: table.logicalName,
    SchemaName: table.schemaName,
    EntitySetName: table.entitySetName,
    LogicalCollectionName: table.entitySetName,
    CollectionSchemaName: `${table.schemaName}s`,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
    PrimaryImageAttribute: null,
    ObjectTypeCode: table.objectTypeCode,
    OwnershipType: table.ownershipType,
    TableType: 'Standard',
    IsCustomEntity: custom,
    IsActivity: table.primaryIdAttribute === 'activityid',
    IsActivityParty: false,
    IsIntersect: false,
    IsPrivate: false,
    IsManaged: !custom,
    IsLogicalEntity: false,
    IsValidForAdvancedFind: true,
    IsOptimisticConcurrencyEnabled: true,
    ChangeTrackingEnabled: false,
    IsStateModelAware: table.attributes.has('statecode'),
    IsAvailableOffline: false,
    IsBPFEntity: false,
    IsChildEntity: false,
    IsKnowledgeManagementEnabled: false,
    IsQuickCreateEnabled: false,
    AutoCreateAccessTeams: false,
    HasActivities: false,
    HasNotes: false,
    IntroducedVersion: '1.0',
    EntityColor: null,
    DisplayName: label(table.displayName, `${id}:DisplayName`),
    DisplayCollectionName: label(table.displayCollectionName, `${id}:DisplayCollectionName`),
    Description: EMPTY_LABEL,
    CanCreateAttributes: managed(true, 'cancreateattributes', false),
    CanCreateForms: managed(true, 'cancreateforms', false),
    CanCreateViews: managed(true, 'cancreateviews', false),
    CanModifyAdditionalSettings: managed(true, 'canmodifyadditionalsettings'),
    IsCustomizable: managed(true, 'iscustomizable', false),
    IsRenameable: managed(true, 'isrenameable', false),
    IsAuditEnabled: managed(false, 'canmodifyauditsettings'),
    IsDuplicateDetectionEnabled: managed(false, 'canmodifyduplicatedetectionsettings'),
    IsValidForQueue: managed(false, 'canmodifyqueuesettings'),
    IsConnectionsEnabled: managed(false, 'canmodifyconnectionsettings'),
    IsMailMergeEnabled: managed(false, 'canmodifymailmergesettings'),
    Privileges: privileges(table),
  };
}

/** SecurityPrivilegeMetadata in the docs' order (Create, Read, Write, Delete, Assign, Share, Append, AppendTo), ids as the privilege table's. */
function privileges(table: TableDef): Record<string, unknown>[] {
  // The privilege catalogue itself has no privileges of its own (reading it takes prvReadRole).
  if (table.logicalName === 'privilege') return [];
  const order = ['Create', 'Read', 'Write', 'Delete', 'Assign', 'Share', 'Append', 'AppendTo'] as const;
  const verbs = privilegeVerbsFor(table);
  const orgOwned = table.ownershipType === 'OrganizationOwned';
  return order
    .filter((verb) => verbs.includes(verb))
    .map((verb) => {
      const name = privilegeName(verb, table);
      return {
        CanBeBasic: !orgOwned,
        CanBeDeep: !orgOwned,
        CanBeGlobal: true,
        CanBeLocal: !orgOwned,
        CanBeEntityReference: false,
        CanBeParentEntityReference: false,
        CanBeRecordFilter: false,
        Name: name,
        PrivilegeId: deterministicGuid(`privilege:${name}`),
        PrivilegeType: verb,
      };
    });
}

/** The derived AttributeMetadata type of each column type. */
export const ATTRIBUTE_METADATA_TYPES: Readonly<Record<AttributeType, string>> = {
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

/**
 * RequiredLevel: the primary id and the owner are SystemRequired, the primary name
 * ApplicationRequired (as account.name is), everything else None.
 */
function requiredLevel(table: TableDef, attribute: AttributeDef): string {
  if (attribute.logicalName === table.primaryIdAttribute || attribute.type === 'Owner') return 'SystemRequired';
  if (attribute.logicalName === table.primaryNameAttribute && !attribute.readOnly) return 'ApplicationRequired';
  return 'None';
}

export function attributeJson(table: TableDef, attribute: AttributeDef, columnNumber: number): Record<string, unknown> {
  const id = attributeMetadataId(table, attribute);
  const custom = table.isCustomEntity;
  const isPrimaryId = attribute.logicalName === table.primaryIdAttribute;
  const level = requiredLevel(table, attribute);
  return {
    MetadataId: id,
    HasChanged: null,
    AttributeOf: null,
    AttributeType: attribute.type,
    AttributeTypeName: { Value: `${attribute.type}Type` },
    ColumnNumber: columnNumber,
    DeprecatedVersion: null,
    IntroducedVersion: '1.0',
    EntityLogicalName: table.logicalName,
    ExternalName: null,
    InheritsFrom: null,
    LinkedAttributeId: null,
    AutoNumberFormat: null,
    SourceType: 0,
    IsPrimaryId: isPrimaryId,
    IsPrimaryName: attribute.logicalName === table.primaryNameAttribute,
    IsCustomAttribute: custom,
    IsManaged: !custom,
    IsLogical: false,
    IsSecured: false,
    IsRetrievable: true,
    IsFilterable: true,
    IsSearchable: true,
    // What the emulator's writes accept: platform columns are ignored in bodies, the key cannot change.
    IsValidForCreate: !attribute.readOnly,
    IsValidForRead: true,
    IsValidForUpdate: !attribute.readOnly && !isPrimaryId,
    IsValidODataAttribute: true,
    IsValidForForm: true,
    IsRequiredForForm: level !== 'None',
    IsValidForGrid: true,
    IsDataSourceSecret: false,
    CanBeSecuredForRead: false,
    CanBeSecuredForCreate: false,
    CanBeSecuredForUpdate: false,
    LogicalName: attribute.logicalName,
    SchemaName: attribute.schemaName,
    DisplayName: label(attribute.displayName, `${id}:DisplayName`),
    Description: EMPTY_LABEL,
    RequiredLevel: managed(level, 'canmodifyrequirementlevelsettings', level !== 'SystemRequired'),
    IsAuditEnabled: managed(true, 'canmodifyauditsettings'),
    IsValidForAdvancedFind: managed(true, 'canmodifysearchsettings'),
    IsCustomizable: managed(true, 'iscustomizable', false),
    IsRenameable: managed(true, 'isrenameable', false),
    IsGlobalFilterEnabled: managed(false, 'canmodifyglobalfiltersettings'),
    IsSortableEnabled: managed(false, 'canmodifyissortablesettings'),
    CanModifyAdditionalSettings: managed(true, 'canmodifyadditionalsettings'),
    ...derivedProperties(attribute),
  };
}

const INT32 = { MaxValue: 2147483647, MinValue: -2147483648 };

/** What each derived type adds. BigInt's ±9223372036854775807 limits are left out: JSON numbers in JavaScript cannot carry them exactly. */
function derivedProperties(attribute: AttributeDef): Record<string, unknown> {
  switch (attribute.type) {
    case 'String':
      return { MaxLength: attribute.maxLength ?? 100, DatabaseLength: (attribute.maxLength ?? 100) * 2, Format: 'Text', FormatName: { Value: 'Text' }, ImeMode: 'Auto', IsLocalizable: false, YomiOf: null };
    case 'Memo':
      return { MaxLength: attribute.maxLength ?? 2000, DatabaseLength: (attribute.maxLength ?? 2000) * 2, Format: 'TextArea', FormatName: { Value: 'TextArea' }, ImeMode: 'Auto', IsLocalizable: false };
    case 'Integer':
      return { ...INT32, Format: 'None', SourceTypeMask: 0 };
    case 'Decimal':
      return { Precision: 2, MaxValue: 100000000000, MinValue: -100000000000, ImeMode: 'Auto' };
    case 'Double':
      return { Precision: 2, MaxValue: 100000000000, MinValue: -100000000000, ImeMode: 'Auto' };
    case 'Money':
      return { Precision: 2, PrecisionSource: 2, MaxValue: 922337203685477, MinValue: -922337203685477, IsBaseCurrency: false, CalculationOf: null };
    case 'Boolean':
      return { DefaultValue: false };
    case 'DateTime':
      return {
        Format: 'DateAndTime',
        ImeMode: 'Inactive',
        MinSupportedValue: '1753-01-01T00:00:00Z',
        MaxSupportedValue: '9999-12-30T23:59:59Z',
        DateTimeBehavior: { Value: 'UserLocal' },
        CanChangeDateTimeBehavior: managed(false, 'canchangedatetimebehavior', false),
      };
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return { Targets: [...(attribute.targets ?? [])], Format: null };
    case 'Picklist':
      return { DefaultFormValue: -1, ParentPicklistLogicalName: null, ChildPicklistLogicalNames: [] };
    case 'State':
      return { DefaultFormValue: 0 };
    case 'Status':
      return { DefaultFormValue: 1 };
    case 'EntityName':
      return { DefaultFormValue: -1 };
    default:
      return {};
  }
}

export function keyJson(table: TableDef, key: KeyDef): Record<string, unknown> {
  const id = keyMetadataId(table, key);
  return {
    MetadataId: id,
    HasChanged: null,
    KeyAttributes: [...key.attributes],
    LogicalName: key.logicalName,
    SchemaName: key.schemaName,
    EntityLogicalName: table.logicalName,
    DisplayName: label(key.displayName, `${id}:DisplayName`),
    // Keys are usable at once: the emulator has no index job to wait for.
    EntityKeyIndexStatus: 'Active',
    IsManaged: false,
    IsCustomizable: managed(true, 'iscustomizable'),
    IntroducedVersion: '1.0',
    IsSynchronous: true,
  };
}
