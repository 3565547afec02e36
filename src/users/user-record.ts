import { Annotation, annotationOf } from '../dataverse/facts.js';
import type { DataverseRecord } from '../dataverse/odata.js';

/**
 * A Dataverse user as dvas shows and uses it, under the systemuser column names. The business
 * unit's name is the lookup's formatted value, so one request gives everything.
 */
export interface UserRecord {
  systemuserid: string;
  fullname: string | null;
  internalemailaddress: string | null;
  domainname: string | null;
  /** Null for on-premises users (and some system users): they can only be acted as by systemuserid. */
  azureactivedirectoryobjectid: string | null;
  isdisabled: boolean;
  /** Set for application users (server-to-server sign-in). */
  applicationid: string | null;
  businessunitid: string | null;
  businessunitname: string | null;
}

/** The columns to ask for. */
export const USER_SELECT = [
  'systemuserid',
  'fullname',
  'internalemailaddress',
  'domainname',
  'azureactivedirectoryobjectid',
  'isdisabled',
  'applicationid',
  '_businessunitid_value',
] as const;

const BUSINESS_UNIT = '_businessunitid_value';

/** Reads a systemuser row; undefined when it has no systemuserid (not a user row). */
export function toUserRecord(row: DataverseRecord): UserRecord | undefined {
  const id = text(row.systemuserid);
  if (id === null) return undefined;
  return {
    systemuserid: id.toLowerCase(),
    fullname: text(row.fullname),
    internalemailaddress: text(row.internalemailaddress),
    domainname: text(row.domainname),
    azureactivedirectoryobjectid: text(row.azureactivedirectoryobjectid)?.toLowerCase() ?? null,
    isdisabled: row.isdisabled === true,
    applicationid: text(row.applicationid)?.toLowerCase() ?? null,
    businessunitid: text(row[BUSINESS_UNIT])?.toLowerCase() ?? null,
    businessunitname: text(row[annotationOf(BUSINESS_UNIT, Annotation.FormattedValue)]),
  };
}

/** "Sam Sales (sam.sales@contoso.com)", or whatever the row has to name the user by. */
export function describeUser(user: Pick<UserRecord, 'systemuserid' | 'fullname' | 'internalemailaddress' | 'domainname'>): string {
  const name = user.fullname ?? user.systemuserid;
  const handle = user.internalemailaddress ?? user.domainname;
  return handle && handle !== name ? `${name} (${handle})` : name;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
