import type { MetadataRegistry } from '../metadata/registry.js';
import { MISCELLANEOUS_PRIVILEGES } from '../metadata/system-tables.js';
import { privilegeName, privilegeVerbsFor } from '../metadata/types.js';
import { deterministicGuid } from '../ids.js';
import type { Store } from '../store/store.js';

/** The AccessRights value of each privilege verb (docs/dataverse-web-api.md §5.3). */
const ACCESS_RIGHTS: Record<string, number> = {
  Create: 32,
  Read: 1,
  Write: 2,
  Delete: 65536,
  Append: 4,
  AppendTo: 16,
  Assign: 524288,
  Share: 262144,
};

/** The privilege catalogue: every table's verbs plus the miscellaneous privileges; returns name → id. */
export function loadPrivileges(store: Store, metadata: MetadataRegistry): Map<string, string> {
  const privilegeIds = new Map<string, string>();
  const addPrivilege = (name: string, accessRight: number, orgOwned: boolean): void => {
    if (privilegeIds.has(name)) return;
    const id = deterministicGuid(`privilege:${name}`);
    privilegeIds.set(name, id);
    store.insert('privilege', id, {
      privilegeid: id,
      name,
      accessright: accessRight,
      canbebasic: !orgOwned,
      canbelocal: !orgOwned,
      canbedeep: !orgOwned,
      canbeglobal: true,
      versionnumber: store.nextVersion(),
    });
  };
  for (const table of metadata.all()) {
    if (table.logicalName === 'privilege') continue;
    for (const verb of privilegeVerbsFor(table)) {
      addPrivilege(privilegeName(verb, table), ACCESS_RIGHTS[verb] ?? 0, table.ownershipType === 'OrganizationOwned');
    }
  }
  for (const name of MISCELLANEOUS_PRIVILEGES) addPrivilege(name, 0, false);

  return privilegeIds;
}
