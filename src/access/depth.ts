import { PRIVILEGE_DEPTHS, type PrivilegeDepth } from '../dataverse/facts.js';

/** Privilege depths, shallowest first: the table of Dataverse facts holds them. */
export const DEPTHS = PRIVILEGE_DEPTHS;
export type Depth = PrivilegeDepth;

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
