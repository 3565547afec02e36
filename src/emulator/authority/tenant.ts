import type { Store } from '../store/store.js';

/**
 * Which tenant a path's first segment names. Entra accepts the tenant id or any domain name the
 * tenant owns (contoso.onmicrosoft.com, a verified contoso.com), and for sign-ins that name a user
 * the multi-tenant aliases `organizations` and `common` (the user's home tenant then decides). The
 * emulator serves one tenant, so its id, its domains and both aliases resolve to it where allowed.
 */
export type TenantSegment = 'tenant' | 'organizations' | 'common';

/** The emulator's one tenant: its id and the domain names it owns, in lower case. */
export interface EmulatedTenant {
  readonly tenantId: string;
  readonly tenantDomains: readonly string[];
}

export function matchTenant(segment: string, tenant: EmulatedTenant): TenantSegment | undefined {
  const lower = segment.toLowerCase();
  if (lower === tenant.tenantId.toLowerCase() || tenant.tenantDomains.includes(lower)) return 'tenant';
  if (lower === 'organizations' || lower === 'common') return lower;
  return undefined;
}

const DOMAIN_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The domain names the organisation's tenant owns, as Entra would list them: first the initial
 * domain every tenant gets, `<organisation name>.onmicrosoft.com` (letters and digits of the name,
 * "Contoso" → contoso.onmicrosoft.com), then the domains of its users' user names (UPNs), which in
 * Entra must be verified domains of the tenant (sam.sales@contoso.com → contoso.com). Read once,
 * when the emulator starts: a user created later through the Web API adds no domain, as creating
 * a Dataverse user verifies no domain in Entra.
 */
export function tenantDomains(organizationName: string, store: Store): string[] {
  const initial = `${organizationName.toLowerCase().replace(/[^a-z0-9]/g, '') || 'tenant'}.onmicrosoft.com`;
  const domains = new Set<string>([initial]);
  for (const user of store.rows('systemuser').values()) {
    const upn = typeof user.domainname === 'string' ? user.domainname.toLowerCase() : '';
    const at = upn.lastIndexOf('@');
    const domain = at >= 0 ? upn.slice(at + 1) : '';
    if (domain.length <= 253 && DOMAIN_NAME.test(domain)) domains.add(domain);
  }
  return [...domains];
}
