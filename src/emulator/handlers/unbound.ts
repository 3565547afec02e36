import { bulkDelete } from './bulk-delete.js';
import { retrieveAccessOrigin } from '../functions/access-origin.js';
import { readParameters, type EntityReferenceLiteral, type ParameterSpec } from '../functions/parameters.js';
import { retrieveRolePrivilegesRole } from '../functions/role-privileges-role.js';
import { isSharingAction, retrieveSharedPrincipalsAndAccess, sharingAction } from '../functions/sharing.js';
import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import type { EmulatorResponse } from '../http/types.js';

const FUNCTIONS: ReadonlyMap<string, readonly ParameterSpec[]> = new Map([
  ['RetrieveSharedPrincipalsAndAccess', [{ name: 'Target', type: 'crmbaseentity', required: true }]],
  [
    'RetrieveAccessOrigin',
    [
      { name: 'ObjectId', type: 'Edm.Guid', required: true },
      { name: 'LogicalName', type: 'Edm.String', required: true },
      { name: 'PrincipalId', type: 'Edm.Guid', required: true },
    ],
  ],
  ['RetrieveRolePrivilegesRole', [{ name: 'RoleId', type: 'Edm.Guid', required: true }]],
] as const);

/** Whether a first path segment names an unbound function or action the emulator answers. */
export function isUnboundOperation(name: string): boolean {
  return FUNCTIONS.has(name) || isSharingAction(name) || name === 'BulkDelete';
}

/**
 * Unbound operations, called without the namespace as the service requires: functions by GET
 * (`RetrieveAccessOrigin(…)`), actions by POST (`GrantAccess`). Any other method finds no HTTP
 * resource, as for WhoAmI.
 */
export function unboundOperation(ctx: RequestContext, name: string, args: string | undefined): EmulatorResponse {
  if (name === 'BulkDelete') {
    if (args !== undefined) throw errors.resourceNotFoundForSegment(`${name}(${args})`);
    return bulkDelete(ctx);
  }
  if (isSharingAction(name)) {
    if (args !== undefined) throw errors.resourceNotFoundForSegment(`${name}(${args})`);
    return sharingAction(ctx, name);
  }
  if (ctx.method !== 'GET') throw errors.noHttpResource(ctx.requestUri);
  const parameters = readParameters(ctx, name, args, FUNCTIONS.get(name) ?? []);
  switch (name) {
    case 'RetrieveSharedPrincipalsAndAccess':
      return retrieveSharedPrincipalsAndAccess(ctx, parameters.get('Target') as EntityReferenceLiteral);
    case 'RetrieveAccessOrigin':
      return retrieveAccessOrigin(ctx, parameters);
    default:
      return retrieveRolePrivilegesRole(ctx, String(parameters.get('RoleId')));
  }
}
