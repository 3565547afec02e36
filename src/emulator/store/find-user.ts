import type { Store } from './store.js';
import type { Row } from './types.js';

/**
 * Finds a systemuser by email, UPN (domainname) or systemuserid, ignoring case and surrounding
 * spaces, as a person types them on a sign-in page or in a flag. `byApplicationId` also matches an
 * application user's client id: the emulator's `issueToken` names application users that way, while
 * a person signing in never is one.
 */
export function findSystemUser(store: Store, who: string, options: { byApplicationId: boolean }): Row | undefined {
  const needle = who.trim().toLowerCase();
  for (const user of store.rows('systemuser').values()) {
    if (
      String(user.internalemailaddress).toLowerCase() === needle ||
      String(user.domainname).toLowerCase() === needle ||
      String(user.systemuserid).toLowerCase() === needle ||
      (options.byApplicationId && typeof user.applicationid === 'string' && user.applicationid.toLowerCase() === needle)
    ) {
      return user;
    }
  }
  return undefined;
}
