import type { RequestContext } from '../http/context.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';

/**
 * WhoAmI answers for the user the request runs as: under impersonation, the impersonated user
 * (docs/dataverse-web-api.md §2), which is how dvas proves that impersonation took effect.
 */
export function whoAmI(ctx: RequestContext): EmulatorResponse {
  const user = ctx.principal.user;
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: ctx.core.security.businessUnitOf(user) ?? ctx.core.rootBusinessUnitId,
    UserId: ctx.principal.userId,
    OrganizationId: ctx.core.organizationId,
  });
}
