/**
 * What the CLI relies on about Dataverse, each fact named once. The emulator (src/emulator/)
 * keeps its own copy of the facts it serves, on purpose: it is the independent check, and
 * test/dataverse/error-code-drift.test.ts runs every code it answers through the CLI's mapping.
 */

/**
 * Dataverse error codes dvas acts on, in lower case: the service writes some with capitals
 * (0x8004A110), so compare through {@link isErrorCode}. Names are Microsoft's where it gives one:
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes
 */
export const ErrorCode = {
  // The identity, or the user acted as, may not do this.
  PrivilegeDenied: '0x80040220',
  CannotActOnBehalfOfAnotherUser: '0x8004a110',
  /** The user acted as is disabled. */
  UserDisabled: '0x80040225',
  PrincipalPrivilegeDenied: '0x80040231',
  UserNotAssignedRoles: '0x80042f09',
  UnManagedIdsAccessDenied: '0x80048306',
  AccessDenied: '0x80048405',
  InvalidAccessRights: '0x8004020d',
  InvalidUserAuth: '0x80040204',
  UnauthorizedAccess: '0x80040277',
  InvalidPrivilegeDepth: '0x800404bb',
  InvalidPrincipal: '0x8004049e',
  CannotAddOrActonBehalfAnotherUserPrivilege: '0x8004ed43',
  UserNotMemberOfOrg: '0x80072560',
  /** The environment is in administration mode. */
  AdminOnlyMode: '0x8004a113',
  // What was asked for does not exist.
  ObjectDoesNotExist: '0x80040217',
  /** "Resource not found for the segment 'Account'": an entity set, function or action name (case-sensitive). */
  ResourceNotFoundForSegment: '0x8006088a',
  /** What the Web API does not support: `$skip`, a nested `$top` in `$expand`, writing `_x_value` directly. */
  ODataNotSupported: '0x80060888',
  // The write conflicts with what is stored.
  /** A row with the same key (an alternate key, an N:N pair) already exists: 412. */
  DuplicateRecord: '0x80040237',
  /** The row's version is not the one If-Match named (optimistic concurrency): 412. */
  ConcurrencyVersionMismatch: '0x80060882',
  /** SdkEntityDoesNotSupportMessage: the table has no such message (CreateMultiple on a table without it). */
  MessageNotSupported: '0x80040800',
  // Service protection limits (429), per identity:
  // https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
  /** Combined execution time exceeded: Microsoft asks for fewer concurrent requests. */
  ExecutionTimeLimit: '0x80072321',
  RequestCountLimit: '0x80072322',
  ConcurrencyLimit: '0x80072326',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Whether the service's code is this one, whatever its letter case. */
export function isErrorCode(code: string | undefined, expected: ErrorCode): boolean {
  return code?.toLowerCase() === expected;
}

/**
 * The largest page `Prefer: odata.maxpagesize` may ask for, and the page size when none is asked:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
export const MAX_PAGE_SIZE = 5000;

/**
 * `$count` counts at most this many rows; a larger count reads as this number:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
 */
export const COUNT_LIMIT = 5000;

/**
 * Annotations asked for with `Prefer: odata.include-annotations` and read back as
 * `<property>@<annotation>`:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns#formatted-values
 */
export const Annotation = {
  /** A lookup's name, an option's label, a date or number in the user's format. */
  FormattedValue: 'OData.Community.Display.V1.FormattedValue',
  /** The table a lookup points at. */
  LookupLogicalName: 'Microsoft.Dynamics.CRM.lookuplogicalname',
  /**
   * A FetchXML page's cookie and whether more rows follow (top-level annotations):
   * https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results
   */
  FetchXmlPagingCookie: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie',
  MoreRecords: 'Microsoft.Dynamics.CRM.morerecords',
} as const;

/** `_ownerid_value@OData.Community.Display.V1.FormattedValue`: where an annotation of a property is. */
export function annotationOf(property: string, annotation: string): string {
  return `${property}@${annotation}`;
}

/** A GUID as Dataverse ids are written (either letter case), for building other patterns. */
export const GUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** A whole string that is one GUID. */
export const GUID_PATTERN = new RegExp(`^${GUID_SOURCE}$`);

/**
 * Microsoft's public client id that every Dataverse environment accepts without an app
 * registration, for development and testing (Microsoft's samples and connection strings use it):
 * https://learn.microsoft.com/power-apps/developer/data-platform/xrm-tooling/use-connection-strings-xrm-tooling-connect
 * It is registered for device code sign-in; an interactive (loopback redirect) sign-in needs an
 * app of one's own.
 */
export const PUBLIC_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';

/**
 * Privilege depths (access levels), shallowest first, as `RolePrivileges[].Depth` names them:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/privilegedepth
 */
export const PRIVILEGE_DEPTHS = ['Basic', 'Local', 'Deep', 'Global'] as const;

export type PrivilegeDepth = (typeof PRIVILEGE_DEPTHS)[number];
