/**
 * Table metadata as the emulator needs it: enough of Dataverse's EntityMetadata/AttributeMetadata
 * to validate property names, serialize values the way the Web API writes them, and name
 * privileges. Everything the emulator serves is driven by these definitions, so a seed file's
 * custom tables behave exactly like the built-in ones.
 */

export type AttributeType =
  | 'Uniqueidentifier'
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'BigInt'
  | 'Decimal'
  | 'Double'
  | 'Money'
  | 'Boolean'
  | 'DateTime'
  | 'Lookup'
  | 'Customer'
  | 'Owner'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'EntityName';

/** The attribute types whose values are references to other rows (surfaced as `_x_value`). */
export const LOOKUP_TYPES: ReadonlySet<AttributeType> = new Set(['Lookup', 'Customer', 'Owner']);

export interface AttributeDef {
  logicalName: string;
  schemaName: string;
  type: AttributeType;
  displayName: string;
  /** Lookup/Customer/Owner: the logical names of the tables it may point to. */
  targets?: readonly string[];
  /** Picklist/State/Status: option value → label (the formatted value). */
  options?: Readonly<Record<number, string>>;
  /**
   * State: state → its default status; Status: status → the state it belongs to. When absent, the
   * pairing of the usual Active/Inactive columns (status v belongs to state v − 1).
   */
  statePairs?: Readonly<Record<number, number>>;
  /** String/Memo: longest accepted value. */
  maxLength?: number;
  /** Set by the platform only (createdby, versionnumber…): a client write is rejected. */
  readOnly?: boolean;
}

/**
 * A navigation property as the Web API exposes it.
 * - `single`: a many-to-one lookup, e.g. contact.parentcustomerid_account → account via parentcustomerid.
 * - `oneToMany`: the reverse of a lookup, e.g. account.contact_customer_accounts → contacts whose parentcustomerid is the account.
 * - `manyToMany`: an N:N relationship stored in the association store, e.g. systemuser.systemuserroles_association.
 */
export type NavigationDef =
  | { kind: 'single'; name: string; attribute: string; target: string }
  | { kind: 'oneToMany'; name: string; target: string; referencingAttribute: string }
  | { kind: 'manyToMany'; name: string; target: string; relationship: string };

/**
 * An alternate key (EntityKeyMetadata): columns whose values together name one row, so a row can be
 * addressed as `accounts(accountnumber='ACC-002')` and upserted by them
 * (https://learn.microsoft.com/power-apps/developer/data-platform/define-alternate-keys-entity).
 */
export interface KeyDef {
  logicalName: string;
  schemaName: string;
  displayName: string;
  /** Attribute logical names, in declaration order. */
  attributes: readonly string[];
}

/** The column types an alternate key may use (define-alternate-keys-entity). */
export const KEY_ATTRIBUTE_TYPES: ReadonlySet<AttributeType> = new Set(['Decimal', 'Integer', 'String', 'DateTime', 'Lookup', 'Customer', 'Owner', 'Picklist']);

export type OwnershipType = 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned' | 'None';

export interface TableDef {
  logicalName: string;
  schemaName: string;
  displayName: string;
  displayCollectionName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  objectTypeCode: number;
  /**
   * The name privileges are formed from: usually the schema name, but the real service names some
   * after older display names (systemuser → prvReadUser).
   */
  privilegeSchemaName: string;
  ownershipType: OwnershipType;
  isCustomEntity: boolean;
  /** Whether the table answers CreateMultiple (not every standard table does). */
  supportsCreateMultiple: boolean;
  attributes: ReadonlyMap<string, AttributeDef>;
  navigations: ReadonlyMap<string, NavigationDef>;
  /** Alternate keys; none unless the organisation defines some (the demo one has accountnumber on account). */
  keys: readonly KeyDef[];
}

/** The table-level privilege verbs, in Dataverse's order. */
export const PRIVILEGE_VERBS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'] as const;
export type PrivilegeVerb = (typeof PRIVILEGE_VERBS)[number];

/** `prv` + verb + the table's privilege schema name, e.g. prvCreateAccount, prvReadUser, prvReadnew_Widget. */
export function privilegeName(verb: PrivilegeVerb, table: TableDef): string {
  return `prv${verb}${table.privilegeSchemaName}`;
}

/** The verbs a table has privileges for: organisation-owned tables have no Assign/Share. */
export function privilegeVerbsFor(table: TableDef): readonly PrivilegeVerb[] {
  if (table.ownershipType === 'UserOwned') return PRIVILEGE_VERBS;
  return PRIVILEGE_VERBS.filter((verb) => verb !== 'Assign' && verb !== 'Share');
}
