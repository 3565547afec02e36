import type { Store } from './store.js';
import type { Row } from './types.js';

/**
 * The organisation's users, indexed by every name they are found by: Entra object id, application
 * (client) id, domain name (UPN), email and systemuserid, all ignoring case. The one place users
 * are looked up, by the security model, the authority and issueToken alike. The indexes are built
 * again when the store's security version changes (a user added, disabled or renamed).
 */
export class UserDirectory {
  private version = -1;
  private byObjectId = new Map<string, Row>();
  private byApplicationId = new Map<string, Row>();
  private byDomainName = new Map<string, Row>();
  private byEmail = new Map<string, Row>();

  constructor(private readonly store: Store) {}

  byEntraObjectId(objectId: string): Row | undefined {
    return this.indexes().byObjectId.get(objectId.toLowerCase());
  }

  byApplication(applicationId: string): Row | undefined {
    return this.indexes().byApplicationId.get(applicationId.toLowerCase());
  }

  /** On-premises users have no Entra object id: their tokens name them by UPN / domain name. */
  byDomain(domainName: string): Row | undefined {
    return this.indexes().byDomainName.get(domainName.toLowerCase());
  }

  /**
   * A user by email, UPN (domainname) or systemuserid, ignoring case and surrounding spaces, as a
   * person types them on a sign-in page or in a flag. `byApplicationId` also matches an application
   * user's client id: the emulator's `issueToken` names application users that way, while a person
   * signing in never is one.
   */
  find(who: string, options: { byApplicationId: boolean }): Row | undefined {
    const needle = who.trim().toLowerCase();
    const indexes = this.indexes();
    return (
      indexes.byEmail.get(needle) ??
      indexes.byDomainName.get(needle) ??
      this.store.get('systemuser', needle) ??
      (options.byApplicationId ? indexes.byApplicationId.get(needle) : undefined)
    );
  }

  private indexes(): this {
    if (this.version === this.store.securityVersion) return this;
    this.version = this.store.securityVersion;
    this.byObjectId = new Map();
    this.byApplicationId = new Map();
    this.byDomainName = new Map();
    this.byEmail = new Map();
    for (const user of this.store.rows('systemuser').values()) {
      // First one wins, as the linear search it replaces found the first match.
      const add = (index: Map<string, Row>, key: unknown) => {
        if (typeof key === 'string' && !index.has(key.toLowerCase())) index.set(key.toLowerCase(), user);
      };
      add(this.byEmail, user.internalemailaddress);
      add(this.byDomainName, user.domainname);
      add(this.byObjectId, user.azureactivedirectoryobjectid);
      add(this.byApplicationId, user.applicationid);
    }
    return this;
  }
}

const directories = new WeakMap<Store, UserDirectory>();

/** The directory of a store's users (one per store). */
export function userDirectory(store: Store): UserDirectory {
  let directory = directories.get(store);
  if (!directory) directories.set(store, (directory = new UserDirectory(store)));
  return directory;
}
