import type { Column } from '../../output/columns.js';

/**
 * What `dvas whoami` prints. WhoAmI's own names for its three ids (of the effective user: the --as
 * user when there is one), systemuser column names for the rest. Every key is always present.
 */
export interface WhoAmIView {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
  fullname: string | null;
  domainname: string | null;
  azureactivedirectoryobjectid: string | null;
  businessunitname: string | null;
  /** Who signed in, under --as; null without it. */
  caller: { UserId: string; fullname: string | null } | null;
}

const dim: Column<WhoAmIView>['paint'] = (text, chalk) => chalk.dim(text);

const USER_FIELDS: readonly Column<WhoAmIView>[] = [
  { header: 'fullname', value: (view) => view.fullname },
  { header: 'UserId', value: (view) => view.UserId },
  { header: 'domainname', value: (view) => view.domainname },
  { header: 'azureactivedirectoryobjectid', value: (view) => view.azureactivedirectoryobjectid, paint: dim },
  { header: 'businessunitname', value: (view) => view.businessunitname },
  { header: 'BusinessUnitId', value: (view) => view.BusinessUnitId, paint: dim },
  { header: 'OrganizationId', value: (view) => view.OrganizationId, paint: dim },
];

const CALLER_FIELDS: readonly Column<WhoAmIView>[] = [
  { header: 'caller', value: (view) => view.caller?.fullname },
  { header: 'callerUserId', value: (view) => view.caller?.UserId, paint: dim },
];

/** The lines of the table (or CSV columns): the caller's only under --as. */
export function whoamiFields(view: WhoAmIView): readonly Column<WhoAmIView>[] {
  return view.caller ? [...USER_FIELDS, ...CALLER_FIELDS] : USER_FIELDS;
}
