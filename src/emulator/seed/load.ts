import { Store } from '../store/store.js';
import { seedMetadata } from './custom-tables.js';
import { loadPrincipals, type ApplicationRegistration } from './principals.js';
import { loadPrivileges } from './privileges.js';
import { loadRows } from './rows.js';
import { SeedError } from './seed-error.js';
import { audit, idOr } from './seed-values.js';
import { requireShape } from './shape.js';
import { loadShares } from './shares.js';
import type { MetadataRegistry } from '../metadata/registry.js';
import type { SeedDocument } from './types.js';

export { SeedError, type ApplicationRegistration };

export interface LoadedOrganization {
  metadata: MetadataRegistry;
  store: Store;
  organizationId: string;
  organizationName: string;
  tenantId: string;
  rootBusinessUnitId: string;
  applications: ApplicationRegistration[];
}

/** When the seed's rows were created: a fixed time, so that a seed loads the same every time. */
const SEED_TIME = Date.parse('2026-01-05T09:00:00Z');

/**
 * Loads an organisation from its seed (docs/emulator-seed.md), in the order its parts depend on
 * each other: table definitions, the privilege catalogue, principals (business units, roles,
 * users, teams), the organisation row, data rows, then shares. Any mistake is a SeedError naming it.
 * `baseDir`: where relative paths in the seed (application certificates) are resolved; default the
 * working directory.
 */
export function loadSeed(seed: SeedDocument, options: { baseDir?: string } = {}): LoadedOrganization {
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed)) {
    throw new SeedError('The seed must be a JSON object.');
  }
  requireShape(seed);
  const metadata = seedMetadata(seed);
  const store = new Store();
  const organizationName = seed.organization?.name ?? 'Contoso';
  const organizationId = idOr(seed.organization?.id, `organization:${organizationName}`, 'organization id');
  const tenantId = idOr(seed.organization?.tenantId, `tenant:${organizationName}`, 'organization tenantId');
  let clock = SEED_TIME;
  const stamp = (): string => new Date((clock += 60_000)).toISOString();

  const privilegeIds = loadPrivileges(store, metadata);
  const principals = loadPrincipals(store, seed, { organizationName, privilegeIds, stamp, baseDir: options.baseDir ?? '' });
  store.insert('organization', organizationId, {
    organizationid: organizationId,
    name: organizationName,
    languagecode: 1033,
    ...audit(stamp(), store.nextVersion()),
  });

  loadRows(store, metadata, seed, principals, stamp);
  loadShares(
    store,
    metadata,
    seed.shares ?? [],
    (name, context) => principals.principal(name, context),
    (message) => new SeedError(message),
  );
  const { rootBusinessUnitId, applications } = principals;
  return { metadata, store, organizationId, organizationName, tenantId, rootBusinessUnitId, applications };
}
