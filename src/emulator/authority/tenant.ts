/**
 * Which tenant a path's first segment names. Entra accepts the tenant id, and for sign-ins that
 * name a user the multi-tenant aliases `organizations` and `common` (the user's home tenant then
 * decides). The emulator serves one tenant, so both aliases resolve to it where they are allowed.
 */
export type TenantSegment = 'tenant' | 'organizations' | 'common';

export function matchTenant(segment: string, tenantId: string): TenantSegment | undefined {
  const lower = segment.toLowerCase();
  if (lower === tenantId.toLowerCase()) return 'tenant';
  if (lower === 'organizations' || lower === 'common') return lower;
  return undefined;
}
