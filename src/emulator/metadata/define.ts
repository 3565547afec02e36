import type { AttributeDef, AttributeType, KeyDef, NavigationDef, OwnershipType, TableDef } from './types.js';

/**
 * A compact way to declare a table: the built-in tables and a seed file's custom tables both go
 * through here, so both get the same system columns (audit, ownership, state) and navigation
 * properties that Dataverse adds to every table.
 */
export interface TableSpec {
  logicalName: string;
  schemaName?: string;
  displayName?: string;
  displayCollectionName?: string;
  entitySetName?: string;
  primaryIdAttribute?: string;
  primaryNameAttribute?: string;
  objectTypeCode: number;
  /** See TableDef.privilegeSchemaName; defaults to the schema name. */
  privilegeSchemaName?: string;
  ownershipType: OwnershipType;
  isCustomEntity?: boolean;
  supportsCreateMultiple?: boolean;
  /** Columns of the table beyond the system ones. */
  columns: ColumnSpec[];
  /** Navigation properties beyond those generated for lookups and system columns. */
  navigations?: NavigationDef[];
  /** Whether to add createdby/modifiedby/… (every real table has them; `privilege` does not). */
  auditColumns?: boolean;
  /** Alternate keys (checked by the seed loader, which is where they come from). */
  keys?: readonly KeyDef[];
}

export interface ColumnSpec {
  name: string;
  type: AttributeType;
  displayName?: string;
  schemaName?: string;
  targets?: readonly string[];
  options?: Readonly<Record<number, string>>;
  /** See AttributeDef.statePairs. */
  statePairs?: Readonly<Record<number, number>>;
  maxLength?: number;
  readOnly?: boolean;
  /**
   * Navigation property names for a lookup, one per target. Defaults: the attribute name for a
   * single target; `<attribute>_<target>` for several (Dataverse's Customer lookups do this).
   */
  navigationNames?: Readonly<Record<string, string>>;
}

function titleCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function defineTable(spec: TableSpec): TableDef {
  const schemaName = spec.schemaName ?? titleCase(spec.logicalName);
  const displayName = spec.displayName ?? schemaName;
  const primaryIdAttribute = spec.primaryIdAttribute ?? `${spec.logicalName}id`;
  const primaryNameAttribute = spec.primaryNameAttribute ?? 'name';
  const attributes = new Map<string, AttributeDef>();
  const navigations = new Map<string, NavigationDef>();

  const add = (column: ColumnSpec): void => {
    const def: AttributeDef = {
      logicalName: column.name,
      schemaName: column.schemaName ?? column.name,
      type: column.type,
      displayName: column.displayName ?? column.name,
      ...(column.targets ? { targets: column.targets } : {}),
      ...(column.options ? { options: column.options } : {}),
      ...(column.statePairs ? { statePairs: column.statePairs } : {}),
      ...(column.maxLength !== undefined ? { maxLength: column.maxLength } : {}),
      ...(column.readOnly ? { readOnly: true } : {}),
    };
    attributes.set(column.name, def);
    if (column.targets && column.type === 'Owner') {
      // Dataverse exposes one `ownerid` navigation property typed as the principal; expanding it
      // follows whichever table the stored owner reference names.
      navigations.set(column.name, { kind: 'single', name: column.name, attribute: column.name, target: column.targets[0] ?? 'systemuser' });
    } else if (column.targets && (column.type === 'Lookup' || column.type === 'Customer')) {
      for (const target of column.targets) {
        const navName =
          column.navigationNames?.[target] ?? (column.targets.length === 1 ? column.name : `${column.name}_${target}`);
        navigations.set(navName, { kind: 'single', name: navName, attribute: column.name, target });
      }
    }
  };

  add({ name: primaryIdAttribute, type: 'Uniqueidentifier', displayName: displayName });
  for (const column of spec.columns) add(column);

  if (spec.auditColumns !== false) {
    add({ name: 'createdon', type: 'DateTime', displayName: 'Created On', readOnly: true });
    add({ name: 'modifiedon', type: 'DateTime', displayName: 'Modified On', readOnly: true });
    add({ name: 'createdby', type: 'Lookup', targets: ['systemuser'], displayName: 'Created By', readOnly: true });
    add({ name: 'modifiedby', type: 'Lookup', targets: ['systemuser'], displayName: 'Modified By', readOnly: true });
    add({
      name: 'createdonbehalfby',
      type: 'Lookup',
      targets: ['systemuser'],
      displayName: 'Created By (Delegate)',
      readOnly: true,
    });
    add({
      name: 'modifiedonbehalfby',
      type: 'Lookup',
      targets: ['systemuser'],
      displayName: 'Modified By (Delegate)',
      readOnly: true,
    });
    add({ name: 'versionnumber', type: 'BigInt', displayName: 'Version Number', readOnly: true });
  }
  if (spec.ownershipType === 'UserOwned') {
    add({
      name: 'ownerid',
      type: 'Owner',
      targets: ['systemuser', 'team'],
      displayName: 'Owner',
    });
    add({ name: 'owninguser', type: 'Lookup', targets: ['systemuser'], displayName: 'Owning User', readOnly: true });
    add({ name: 'owningteam', type: 'Lookup', targets: ['team'], displayName: 'Owning Team', readOnly: true });
  }
  if (spec.ownershipType === 'UserOwned' || spec.ownershipType === 'BusinessOwned') {
    if (!attributes.has('owningbusinessunit')) {
      add({
        name: 'owningbusinessunit',
        type: 'Lookup',
        targets: ['businessunit'],
        displayName: 'Owning Business Unit',
        readOnly: true,
      });
    }
  }
  if (spec.ownershipType === 'UserOwned' && !attributes.has('statecode')) {
    add({ name: 'statecode', type: 'State', options: { 0: 'Active', 1: 'Inactive' }, displayName: 'Status' });
    add({ name: 'statuscode', type: 'Status', options: { 1: 'Active', 2: 'Inactive' }, displayName: 'Status Reason' });
  }
  for (const navigation of spec.navigations ?? []) navigations.set(navigation.name, navigation);

  return {
    logicalName: spec.logicalName,
    schemaName,
    displayName,
    displayCollectionName: spec.displayCollectionName ?? `${displayName}s`,
    entitySetName: spec.entitySetName ?? `${spec.logicalName}s`,
    primaryIdAttribute,
    primaryNameAttribute,
    objectTypeCode: spec.objectTypeCode,
    privilegeSchemaName: spec.privilegeSchemaName ?? schemaName,
    ownershipType: spec.ownershipType,
    isCustomEntity: spec.isCustomEntity ?? false,
    supportsCreateMultiple: spec.supportsCreateMultiple ?? true,
    attributes,
    navigations,
    keys: spec.keys ?? [],
  };
}
