/** Privilege depth (access level), ordered from narrowest to widest as Dataverse's PrivilegeDepth enum is. */
export const DEPTHS = ['Basic', 'Local', 'Deep', 'Global'] as const;
export type Depth = (typeof DEPTHS)[number];

export function depthRank(depth: Depth): number {
  return DEPTHS.indexOf(depth);
}

export function widerDepth(a: Depth, b: Depth): Depth {
  return depthRank(a) >= depthRank(b) ? a : b;
}

export function narrowerDepth(a: Depth, b: Depth): Depth {
  return depthRank(a) <= depthRank(b) ? a : b;
}

export function isDepth(value: unknown): value is Depth {
  return typeof value === 'string' && (DEPTHS as readonly string[]).includes(value);
}
