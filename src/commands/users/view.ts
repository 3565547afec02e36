import { fieldColumns, type Column } from '../../output/columns.js';
import type { UserRecord } from '../../users/user-record.js';

const dim: Column<UserRecord>['paint'] = (text, chalk) => chalk.dim(text);

/** CSV: the JSON fields, under their names (schemas/users.schema.json), in that order. */
export const USER_CSV_COLUMNS = fieldColumns<UserRecord>([
  'systemuserid',
  'fullname',
  'internalemailaddress',
  'domainname',
  'azureactivedirectoryobjectid',
  'isdisabled',
  'applicationid',
  'businessunitid',
  'businessunitname',
]);

/** `dvas users` columns on a terminal; JSON prints the UserRecord rows under their systemuser column names. */
export const USER_COLUMNS: readonly Column<UserRecord>[] = [
  { header: 'fullname', value: (user) => user.fullname, paint: (text, chalk, user) => (user.isdisabled ? chalk.dim(text) : text), shrink: true },
  { header: 'systemuserid', value: (user) => user.systemuserid },
  { header: 'entra object id', value: (user) => user.azureactivedirectoryobjectid, paint: dim },
  // Whole even on a narrow terminal: the email is what --as takes most often.
  { header: 'email / domain name', value: (user) => user.internalemailaddress ?? user.domainname },
  { header: 'disabled', value: (user) => user.isdisabled, paint: (text, chalk, user) => (user.isdisabled ? chalk.red(text) : chalk.dim(text)) },
  { header: 'application', value: (user) => user.applicationid !== null, paint: dim },
  { header: 'business unit', value: (user) => user.businessunitname ?? user.businessunitid, shrink: true },
];
