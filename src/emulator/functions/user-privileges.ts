import type { RequestContext } from '../http/context.js';
import { jsonResponse } from '../http/respond.js';
import type { TableDef } from '../metadata/types.js';
import { requireAccess } from '../security/checks.js';
import type { Holding } from '../security/model.js';
import type { Row } from '../store/types.js';
import type { ParameterValue } from './parameters.js';
import { rolePrivileges, type RolePrivilegeOptions } from './role-privileges.js';
import type { BoundFunctionDef } from './types.js';

/**
 * Reading another user's privileges needs read access to that user's record (prvReadUser at a
 * depth that reaches it; intersected under impersonation), as the SDK's message-privilege tables
 * list for RetrieveUserPrivileges. Every user may read their own: a user (or the user being
 * impersonated) can always learn what it holds. See docs/emulator-decisions.md.
 */
function authorize(ctx: RequestContext, table: TableDef, user: Row): void {
  if (String(user.systemuserid) === ctx.principal.userId) return;
  requireAccess(ctx.core.security, ctx.principal, 'Read', table, user);
}

function respond(ctx: RequestContext, functionName: string, user: Row, filter: (holding: Holding) => boolean, options: RolePrivilegeOptions) {
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.${functionName}Response`,
    RolePrivileges: rolePrivileges(ctx.core.security, String(user.systemuserid), filter, options),
  });
}

function excludeTeamBasic(parameters: ReadonlyMap<string, ParameterValue>): boolean {
  return parameters.get('ExcludeTeamBasic') === true;
}

function asStrings(value: ParameterValue | undefined): ReadonlySet<string> {
  return new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
}

const EXCLUDE_TEAM_BASIC = { name: 'ExcludeTeamBasic', type: 'Edm.Boolean', required: false } as const;

/** Everything the user holds; team-inherited privileges only at Basic depth (Microsoft's remark on the function). */
export const retrieveUserPrivileges: BoundFunctionDef = {
  name: 'RetrieveUserPrivileges',
  bindings: ['systemuser'],
  parameters: [],
  run(ctx, table, user) {
    authorize(ctx, table, user);
    return respond(ctx, 'RetrieveUserPrivileges', user, () => true, { teamDepthAsBasic: true, excludeTeamBasic: false });
  },
};

/** One privilege by name, direct and through teams at their real depth; an empty array means the user lacks it. */
export const retrieveUserPrivilegeByPrivilegeName: BoundFunctionDef = {
  name: 'RetrieveUserPrivilegeByPrivilegeName',
  bindings: ['systemuser'],
  parameters: [{ name: 'PrivilegeName', type: 'Edm.String', required: true }, EXCLUDE_TEAM_BASIC],
  run(ctx, table, user, parameters) {
    authorize(ctx, table, user);
    const wanted = asStrings(parameters.get('PrivilegeName'));
    return respond(ctx, 'RetrieveUserPrivilegeByPrivilegeName', user, (holding) => wanted.has(holding.name), {
      teamDepthAsBasic: false,
      excludeTeamBasic: excludeTeamBasic(parameters),
    });
  },
};

export const retrieveUserPrivilegeByPrivilegeId: BoundFunctionDef = {
  name: 'RetrieveUserPrivilegeByPrivilegeId',
  bindings: ['systemuser'],
  parameters: [{ name: 'PrivilegeId', type: 'Edm.Guid', required: true }, EXCLUDE_TEAM_BASIC],
  run(ctx, table, user, parameters) {
    authorize(ctx, table, user);
    const wanted = asStrings(parameters.get('PrivilegeId'));
    return respond(ctx, 'RetrieveUserPrivilegeByPrivilegeId', user, (holding) => wanted.has(holding.privilegeId), {
      teamDepthAsBasic: false,
      excludeTeamBasic: excludeTeamBasic(parameters),
    });
  },
};

export const retrieveUserSetOfPrivilegesByNames: BoundFunctionDef = {
  name: 'RetrieveUserSetOfPrivilegesByNames',
  bindings: ['systemuser'],
  parameters: [{ name: 'PrivilegeNames', type: 'Collection(Edm.String)', required: true }, EXCLUDE_TEAM_BASIC],
  run(ctx, table, user, parameters) {
    authorize(ctx, table, user);
    const wanted = asStrings(parameters.get('PrivilegeNames'));
    return respond(ctx, 'RetrieveUserSetOfPrivilegesByNames', user, (holding) => wanted.has(holding.name), {
      teamDepthAsBasic: false,
      excludeTeamBasic: excludeTeamBasic(parameters),
    });
  },
};

export const retrieveUserSetOfPrivilegesByIds: BoundFunctionDef = {
  name: 'RetrieveUserSetOfPrivilegesByIds',
  bindings: ['systemuser'],
  parameters: [{ name: 'PrivilegeIds', type: 'Collection(Edm.Guid)', required: true }, EXCLUDE_TEAM_BASIC],
  run(ctx, table, user, parameters) {
    authorize(ctx, table, user);
    const wanted = asStrings(parameters.get('PrivilegeIds'));
    return respond(ctx, 'RetrieveUserSetOfPrivilegesByIds', user, (holding) => wanted.has(holding.privilegeId), {
      teamDepthAsBasic: false,
      excludeTeamBasic: excludeTeamBasic(parameters),
    });
  },
};
