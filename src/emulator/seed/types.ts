/**
 * The seed document: an organisation for the emulator to serve (docs/emulator-seed.md describes
 * it for users). Ids are optional everywhere: a missing id is derived from the item's name, so a
 * seed gives the same ids on every start. People, teams and roles are referred to by name/email.
 */
export interface SeedDocument {
  organization?: { name?: string; id?: string; tenantId?: string };
  businessUnits?: SeedBusinessUnit[];
  roles?: SeedRole[];
  users?: SeedUser[];
  teams?: SeedTeam[];
  tables?: SeedTable[];
  /** Alternate keys of built-in or custom tables. */
  keys?: SeedKey[];
  /** Rows by table logical name. */
  rows?: Record<string, SeedRow[]>;
  /** Records shared with a user or a team (GrantAccess), after the rows are loaded. */
  shares?: SeedShare[];
}

/** A record, named by its primary name, shared with a user (email) or a team (name) with some access rights. */
export interface SeedShare {
  /** Table logical name, e.g. "account". */
  table: string;
  /** The row's primary name (an account's name); exactly one row must have it. */
  name: string;
  /** A user's email or a team's name. */
  with: string;
  /** AccessRights names: ReadAccess, WriteAccess, AppendAccess, AppendToAccess, DeleteAccess, ShareAccess, AssignAccess. */
  rights: string[];
}

export interface SeedBusinessUnit {
  name: string;
  id?: string;
  /** Name of the parent business unit; omitted for the root (exactly one root). */
  parent?: string;
}

export type SeedDepth = 'Basic' | 'Local' | 'Deep' | 'Global';

export interface SeedRole {
  name: string;
  id?: string;
  /** Business unit name; defaults to the root. */
  businessUnit?: string;
  /** Privilege name → depth, e.g. { "prvReadAccount": "Local" }. */
  privileges: Record<string, SeedDepth>;
}

export interface SeedUser {
  fullname: string;
  /** internalemailaddress; also the default domain name (UPN). */
  email: string;
  id?: string;
  domainname?: string;
  /** Entra object id; `null` for an on-premises user who has none. Omitted: derived from the email. */
  objectId?: string | null;
  businessUnit?: string;
  roles?: string[];
  disabled?: boolean;
  /** systemuser.accessmode: 0 Read-Write … 4 Non-interactive (application users). */
  accessMode?: number;
  title?: string;
  /** Present for an application user (server-to-server sign-in). */
  application?: SeedApplication;
}

export interface SeedApplication {
  clientId: string;
  /** Secret the emulator's authority accepts for client_credentials. */
  clientSecret?: string;
  /** PEM certificate (path relative to the seed file, or inline PEM) for client assertions. */
  certificate?: string;
  /** Subjects of federated (workload identity) tokens this application trusts, e.g. "repo:org/app:ref:refs/heads/main". */
  federatedSubjects?: string[];
}

export interface SeedTeam {
  name: string;
  id?: string;
  businessUnit?: string;
  /** Member emails. */
  members?: string[];
  roles?: string[];
  teamType?: number;
}

export type SeedColumnType =
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
  | 'Picklist'
  | 'Uniqueidentifier';

export interface SeedTable {
  logicalName: string;
  displayName?: string;
  displayCollectionName?: string;
  entitySetName?: string;
  schemaName?: string;
  primaryIdAttribute?: string;
  primaryNameAttribute?: string;
  objectTypeCode?: number;
  ownership?: 'UserOwned' | 'OrganizationOwned';
  /** Whether the table answers CreateMultiple; default true. */
  supportsCreateMultiple?: boolean;
  columns: SeedColumn[];
}

/** An alternate key: the columns whose values together name one row (accounts(accountnumber='ACC-002')). */
export interface SeedKey {
  /** Logical name of the table (built-in or custom). */
  table: string;
  /** The key's schema name; its logical name is the same in lower case. */
  name: string;
  displayName?: string;
  /** Column logical names (String, Integer, Decimal, DateTime, Picklist or Lookup; at most 16). */
  columns: string[];
}

export interface SeedColumn {
  name: string;
  type: SeedColumnType;
  displayName?: string;
  maxLength?: number;
  /** Lookup: target table logical names. */
  targets?: string[];
  /** Picklist: value → label. */
  options?: Record<string, string>;
}

/**
 * A row: column logical names to values (lookups as `{ "table": "account", "id": "<guid>" }` or
 * `{ "table": "account", "name": "<primary name>" }`), the primary id column optional, and
 * `$owner` naming the owning user (email) or team (name); default the first application user.
 */
export type SeedRow = Record<string, unknown> & { $owner?: string };
