import { defineTable, type ColumnSpec } from '../metadata/define.js';
import type { AttributeType, TableDef } from '../metadata/types.js';

/**
 * The metadata types of the Web API's EntityDefinitions as tables of the emulator's own kind, so
 * that `$filter` and `$select` on them run through the same engine as data queries: an unknown
 * name gets the service's "Could not find a property named … on type
 * 'Microsoft.Dynamics.CRM.EntityMetadata'". Managed properties (BooleanManagedProperty,
 * AttributeRequiredLevelManagedProperty) are single-valued navigations to tables of their own, so
 * that `CanCreateAttributes/Value eq true` and `RequiredLevel/Value eq
 * Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'` filter as the docs show.
 */
export const BOOLEAN_MANAGED = 'BooleanManagedProperty';
export const REQUIRED_LEVEL_MANAGED = 'AttributeRequiredLevelManagedProperty';

export interface MetadataType {
  /** `EntityMetadata`, `PicklistAttributeMetadata`… (what @odata.type and errors name). */
  name: string;
  table: TableDef;
  /** Selectable properties that are neither scalars nor managed properties (labels, lists). */
  complex: readonly string[];
  /** Navigation properties `$expand` takes. */
  navigations: readonly string[];
  /** Managed property name → the table its value lives in. */
  managed: Readonly<Record<string, string>>;
}

function metadataType(
  name: string,
  scalars: Readonly<Record<string, AttributeType>>,
  managed: Readonly<Record<string, string>>,
  complex: readonly string[],
  navigations: readonly string[],
): MetadataType {
  const columns: ColumnSpec[] = [
    ...Object.entries(scalars).map(([column, type]): ColumnSpec => ({ name: column, type })),
    ...Object.entries(managed).map(([column, target]): ColumnSpec => ({ name: column, type: 'Lookup', targets: [target] })),
  ];
  const table = defineTable({
    logicalName: name,
    entitySetName: `${name}Set`,
    primaryIdAttribute: 'MetadataId',
    primaryNameAttribute: 'LogicalName',
    objectTypeCode: 0,
    ownershipType: 'None',
    auditColumns: false,
    columns,
  });
  return { name, table, complex, navigations, managed };
}

function managedTable(name: string, valueType: AttributeType): TableDef {
  return defineTable({
    logicalName: name,
    entitySetName: `${name}Set`,
    primaryIdAttribute: 'Id',
    primaryNameAttribute: 'ManagedPropertyLogicalName',
    objectTypeCode: 0,
    ownershipType: 'None',
    auditColumns: false,
    columns: [
      { name: 'Value', type: valueType },
      { name: 'CanBeChanged', type: 'Boolean' },
      { name: 'ManagedPropertyLogicalName', type: 'String' },
    ],
  });
}

export const MANAGED_TABLES: readonly TableDef[] = [managedTable(BOOLEAN_MANAGED, 'Boolean'), managedTable(REQUIRED_LEVEL_MANAGED, 'String')];

export const ENTITY_METADATA = metadataType(
  'EntityMetadata',
  {
    LogicalName: 'String',
    SchemaName: 'String',
    EntitySetName: 'String',
    LogicalCollectionName: 'String',
    CollectionSchemaName: 'String',
    PrimaryIdAttribute: 'String',
    PrimaryNameAttribute: 'String',
    PrimaryImageAttribute: 'String',
    ObjectTypeCode: 'Integer',
    OwnershipType: 'String',
    TableType: 'String',
    IsCustomEntity: 'Boolean',
    IsActivity: 'Boolean',
    IsActivityParty: 'Boolean',
    IsIntersect: 'Boolean',
    IsPrivate: 'Boolean',
    IsManaged: 'Boolean',
    IsLogicalEntity: 'Boolean',
    IsValidForAdvancedFind: 'Boolean',
    IsOptimisticConcurrencyEnabled: 'Boolean',
    ChangeTrackingEnabled: 'Boolean',
    IsStateModelAware: 'Boolean',
    IsAvailableOffline: 'Boolean',
    IsBPFEntity: 'Boolean',
    IsChildEntity: 'Boolean',
    IsKnowledgeManagementEnabled: 'Boolean',
    IsQuickCreateEnabled: 'Boolean',
    AutoCreateAccessTeams: 'Boolean',
    HasActivities: 'Boolean',
    HasNotes: 'Boolean',
    IntroducedVersion: 'String',
    EntityColor: 'String',
  },
  {
    CanCreateAttributes: BOOLEAN_MANAGED,
    CanCreateForms: BOOLEAN_MANAGED,
    CanCreateViews: BOOLEAN_MANAGED,
    CanModifyAdditionalSettings: BOOLEAN_MANAGED,
    IsCustomizable: BOOLEAN_MANAGED,
    IsRenameable: BOOLEAN_MANAGED,
    IsAuditEnabled: BOOLEAN_MANAGED,
    IsDuplicateDetectionEnabled: BOOLEAN_MANAGED,
    IsValidForQueue: BOOLEAN_MANAGED,
    IsConnectionsEnabled: BOOLEAN_MANAGED,
    IsMailMergeEnabled: BOOLEAN_MANAGED,
  },
  ['DisplayName', 'DisplayCollectionName', 'Description', 'Privileges', 'HasChanged'],
  ['Attributes', 'Keys', 'OneToManyRelationships', 'ManyToOneRelationships', 'ManyToManyRelationships'],
);

const ATTRIBUTE_SCALARS: Readonly<Record<string, AttributeType>> = {
  LogicalName: 'String',
  SchemaName: 'String',
  EntityLogicalName: 'String',
  AttributeType: 'String',
  AttributeOf: 'String',
  ColumnNumber: 'Integer',
  IntroducedVersion: 'String',
  DeprecatedVersion: 'String',
  ExternalName: 'String',
  InheritsFrom: 'String',
  LinkedAttributeId: 'Uniqueidentifier',
  AutoNumberFormat: 'String',
  SourceType: 'Integer',
  IsPrimaryId: 'Boolean',
  IsPrimaryName: 'Boolean',
  IsCustomAttribute: 'Boolean',
  IsManaged: 'Boolean',
  IsLogical: 'Boolean',
  IsSecured: 'Boolean',
  IsRetrievable: 'Boolean',
  IsFilterable: 'Boolean',
  IsSearchable: 'Boolean',
  IsValidForCreate: 'Boolean',
  IsValidForRead: 'Boolean',
  IsValidForUpdate: 'Boolean',
  IsValidODataAttribute: 'Boolean',
  IsValidForForm: 'Boolean',
  IsRequiredForForm: 'Boolean',
  IsValidForGrid: 'Boolean',
  IsDataSourceSecret: 'Boolean',
  CanBeSecuredForRead: 'Boolean',
  CanBeSecuredForCreate: 'Boolean',
  CanBeSecuredForUpdate: 'Boolean',
};

const ATTRIBUTE_MANAGED: Readonly<Record<string, string>> = {
  RequiredLevel: REQUIRED_LEVEL_MANAGED,
  IsAuditEnabled: BOOLEAN_MANAGED,
  IsValidForAdvancedFind: BOOLEAN_MANAGED,
  IsCustomizable: BOOLEAN_MANAGED,
  IsRenameable: BOOLEAN_MANAGED,
  IsGlobalFilterEnabled: BOOLEAN_MANAGED,
  IsSortableEnabled: BOOLEAN_MANAGED,
  CanModifyAdditionalSettings: BOOLEAN_MANAGED,
};

const ATTRIBUTE_COMPLEX = ['DisplayName', 'Description', 'AttributeTypeName', 'HasChanged'];

/** AttributeMetadata, the type of `EntityDefinitions(…)/Attributes`: only the properties every column shares. */
export const ATTRIBUTE_METADATA = metadataType('AttributeMetadata', ATTRIBUTE_SCALARS, ATTRIBUTE_MANAGED, ATTRIBUTE_COMPLEX, []);

/** The derived types `Attributes` can be cast to, with what each adds (learn.microsoft.com Web API entity type reference). */
const DERIVED: ReadonlyArray<[string, Readonly<Record<string, AttributeType>>, readonly string[], readonly string[]]> = [
  ['StringAttributeMetadata', { MaxLength: 'Integer', DatabaseLength: 'Integer', Format: 'String', ImeMode: 'String', IsLocalizable: 'Boolean', YomiOf: 'String' }, ['FormatName'], []],
  ['MemoAttributeMetadata', { MaxLength: 'Integer', DatabaseLength: 'Integer', Format: 'String', ImeMode: 'String', IsLocalizable: 'Boolean' }, ['FormatName'], []],
  ['IntegerAttributeMetadata', { MaxValue: 'Integer', MinValue: 'Integer', Format: 'String', SourceTypeMask: 'Integer' }, [], []],
  ['BigIntAttributeMetadata', {}, [], []],
  ['DecimalAttributeMetadata', { Precision: 'Integer', MaxValue: 'Decimal', MinValue: 'Decimal', ImeMode: 'String' }, [], []],
  ['DoubleAttributeMetadata', { Precision: 'Integer', MaxValue: 'Double', MinValue: 'Double', ImeMode: 'String' }, [], []],
  ['MoneyAttributeMetadata', { Precision: 'Integer', PrecisionSource: 'Integer', MaxValue: 'Double', MinValue: 'Double', IsBaseCurrency: 'Boolean', CalculationOf: 'String' }, [], []],
  ['BooleanAttributeMetadata', { DefaultValue: 'Boolean' }, [], ['OptionSet', 'GlobalOptionSet']],
  ['DateTimeAttributeMetadata', { Format: 'String', ImeMode: 'String', MinSupportedValue: 'DateTime', MaxSupportedValue: 'DateTime' }, ['DateTimeBehavior', 'CanChangeDateTimeBehavior'], []],
  ['LookupAttributeMetadata', { Format: 'String' }, ['Targets'], []],
  ['PicklistAttributeMetadata', { DefaultFormValue: 'Integer', ParentPicklistLogicalName: 'String' }, ['ChildPicklistLogicalNames'], ['OptionSet', 'GlobalOptionSet']],
  ['MultiSelectPicklistAttributeMetadata', { DefaultFormValue: 'Integer', ParentPicklistLogicalName: 'String' }, ['ChildPicklistLogicalNames'], ['OptionSet', 'GlobalOptionSet']],
  ['StateAttributeMetadata', { DefaultFormValue: 'Integer' }, [], ['OptionSet', 'GlobalOptionSet']],
  ['StatusAttributeMetadata', { DefaultFormValue: 'Integer' }, [], ['OptionSet', 'GlobalOptionSet']],
  ['EntityNameAttributeMetadata', { DefaultFormValue: 'Integer' }, [], ['OptionSet', 'GlobalOptionSet']],
  ['UniqueIdentifierAttributeMetadata', {}, [], []],
  ['ImageAttributeMetadata', { MaxHeight: 'Integer', MaxWidth: 'Integer', MaxSizeInKB: 'Integer', IsPrimaryImage: 'Boolean', CanStoreFullImage: 'Boolean' }, [], []],
  ['FileAttributeMetadata', { MaxSizeInKB: 'Integer' }, [], []],
];

export const DERIVED_ATTRIBUTE_TYPES: ReadonlyMap<string, MetadataType> = new Map(
  DERIVED.map(([name, scalars, complex, navigations]) => [
    name,
    metadataType(name, { ...ATTRIBUTE_SCALARS, ...scalars }, ATTRIBUTE_MANAGED, [...ATTRIBUTE_COMPLEX, ...complex], navigations),
  ]),
);

export const ENTITY_KEY_METADATA = metadataType(
  'EntityKeyMetadata',
  { LogicalName: 'String', SchemaName: 'String', EntityLogicalName: 'String', EntityKeyIndexStatus: 'String', IsManaged: 'Boolean', IntroducedVersion: 'String', IsSynchronous: 'Boolean' },
  { IsCustomizable: BOOLEAN_MANAGED },
  ['DisplayName', 'KeyAttributes', 'HasChanged'],
  [],
);

const RELATIONSHIP_SCALARS: Readonly<Record<string, AttributeType>> = {
  SchemaName: 'String',
  RelationshipType: 'String',
  IsCustomRelationship: 'Boolean',
  IsManaged: 'Boolean',
  IsValidForAdvancedFind: 'Boolean',
  IntroducedVersion: 'String',
  SecurityTypes: 'String',
};

/**
 * OneToManyRelationshipMetadata: the type of both `OneToManyRelationships` (the table is the
 * referenced one) and `ManyToOneRelationships` (the table is the referencing one), as the Web API
 * reference has it (…/webapi/reference/onetomanyrelationshipmetadata).
 */
export const ONE_TO_MANY_RELATIONSHIP_METADATA = metadataType(
  'OneToManyRelationshipMetadata',
  {
    ...RELATIONSHIP_SCALARS,
    ReferencedAttribute: 'String',
    ReferencedEntity: 'String',
    ReferencingAttribute: 'String',
    ReferencingEntity: 'String',
    ReferencedEntityNavigationPropertyName: 'String',
    ReferencingEntityNavigationPropertyName: 'String',
    IsHierarchical: 'Boolean',
  },
  { IsCustomizable: BOOLEAN_MANAGED },
  ['HasChanged', 'CascadeConfiguration', 'AssociatedMenuConfiguration'],
  [],
);

/** ManyToManyRelationshipMetadata (…/webapi/reference/manytomanyrelationshipmetadata). */
export const MANY_TO_MANY_RELATIONSHIP_METADATA = metadataType(
  'ManyToManyRelationshipMetadata',
  {
    ...RELATIONSHIP_SCALARS,
    Entity1LogicalName: 'String',
    Entity2LogicalName: 'String',
    Entity1IntersectAttribute: 'String',
    Entity2IntersectAttribute: 'String',
    Entity1NavigationPropertyName: 'String',
    Entity2NavigationPropertyName: 'String',
    IntersectEntityName: 'String',
  },
  { IsCustomizable: BOOLEAN_MANAGED },
  ['HasChanged', 'Entity1AssociatedMenuConfiguration', 'Entity2AssociatedMenuConfiguration'],
  [],
);
