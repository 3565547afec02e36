import { fieldColumns, type Column } from '../../output/columns.js';

/** One way a user holds a role: directly, or as a member of a team that holds it. Role columns keep Dataverse's names. */
export interface RoleAssignment {
  roleid: string;
  name: string;
  businessunitid: string | null;
  businessunitname: string | null;
  assignment: 'direct' | 'team';
  /** The team it comes through; null when assigned directly. */
  teamid: string | null;
  teamname: string | null;
}

/** CSV: the JSON fields, under their names (schemas/roles.schema.json), in that order. */
export const ROLE_CSV_COLUMNS = fieldColumns<RoleAssignment>(['roleid', 'name', 'businessunitid', 'businessunitname', 'assignment', 'teamid', 'teamname']);

export const ROLE_COLUMNS: readonly Column<RoleAssignment>[] = [
  { header: 'role', value: (role) => role.name, paint: (text, chalk) => chalk.bold(text), shrink: true },
  { header: 'business unit', value: (role) => role.businessunitname ?? role.businessunitid, shrink: true },
  {
    header: 'assigned',
    value: (role) => (role.assignment === 'direct' ? 'directly' : `through team ${role.teamname ?? role.teamid ?? '?'}`),
    paint: (text, chalk, role) => (role.assignment === 'team' ? chalk.yellow(text) : text),
  },
  { header: 'roleid', value: (role) => role.roleid, paint: (text, chalk) => chalk.dim(text) },
];
