/**
 * Privilege depths (access levels), shallowest first, as the Web API's PrivilegeDepth enum names
 * them: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/privilegedepth
 */
export const DEPTHS = ['Basic', 'Local', 'Deep', 'Global'] as const;
export type Depth = (typeof DEPTHS)[number];

/** What the security role editor calls each depth (https://learn.microsoft.com/power-platform/admin/security-roles-privileges). */
export const DEPTH_LABELS: Readonly<Record<Depth, string>> = {
  Basic: 'User',
  Local: 'Business Unit',
  Deep: 'Parent: Child Business Units',
  Global: 'Organization',
};

export function isDepth(value: unknown): value is Depth {
  return typeof value === 'string' && (DEPTHS as readonly string[]).includes(value);
}

export function depthRank(depth: Depth): number {
  return DEPTHS.indexOf(depth);
}

export function deeper(a: Depth, b: Depth): Depth {
  return depthRank(a) >= depthRank(b) ? a : b;
}

export function shallower(a: Depth, b: Depth): Depth {
  return depthRank(a) <= depthRank(b) ? a : b;
}

/** "Local (Business Unit)" */
export function describeDepth(depth: Depth): string {
  return `${depth} (${DEPTH_LABELS[depth]})`;
}
