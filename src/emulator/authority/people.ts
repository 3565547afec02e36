import { userDirectory } from '../store/user-directory.js';
import type { Store } from '../store/store.js';
import type { Row } from '../store/types.js';

/** Why a device-code sign-in cannot be approved; `status` is what the emulator's control endpoints answer. */
export class SignInRefusal extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'unknown_user' | 'not_a_person' | 'no_entra_account' | 'unknown_user_code' | 'expired_user_code',
    message: string,
  ) {
    super(message);
    this.name = 'SignInRefusal';
  }
}

/** A person who signs in: what user tokens and ID tokens are made from. */
export interface Person {
  systemuserid: string;
  objectId: string;
  fullname: string;
  /** The UPN (systemuser.domainname): the `upn` and `preferred_username` claims. */
  username: string;
}

/**
 * Finds the person (by email, UPN or systemuserid) who approves a device-code sign-in. Only people
 * with an Entra account can: not application users (they sign in with their own credentials) and
 * not on-premises users (no Entra object id). A disabled Dataverse user still has an Entra account,
 * signs in, and is refused by the Web API, as on the real service.
 */
export function findPerson(store: Store, who: string): Person {
  // A client id names no person: an application user signs in with its own credentials.
  const found = userDirectory(store).find(who, { byApplicationId: false });
  if (!found) throw new SignInRefusal(404, 'unknown_user', `The organisation has no user '${who}'.`);
  const person = asPerson(found, who);
  if (person instanceof SignInRefusal) throw person;
  return person;
}

/** The person behind a systemuserid, for refreshing a sign-in; undefined if they are gone or cannot sign in. */
export function personById(store: Store, systemuserid: string): Person | undefined {
  const row = store.get('systemuser', systemuserid);
  const person = row ? asPerson(row, systemuserid) : undefined;
  return person instanceof SignInRefusal ? undefined : person;
}

/** Everyone who can sign in to Entra (people with an Entra account), for a page that lets one choose. */
export function peopleWhoCanSignIn(store: Store): Person[] {
  const people: Person[] = [];
  for (const row of store.rows('systemuser').values()) {
    const person = asPerson(row, String(row.systemuserid));
    if (!(person instanceof SignInRefusal)) people.push(person);
  }
  return people;
}

function asPerson(user: Row, who: string): Person | SignInRefusal {
  if (typeof user.applicationid === 'string') {
    return new SignInRefusal(400, 'not_a_person', `'${who}' is an application user; it signs in with its own credentials, not with a device code.`);
  }
  if (typeof user.azureactivedirectoryobjectid !== 'string') {
    return new SignInRefusal(400, 'no_entra_account', `'${who}' has no Entra object id (an on-premises user), so cannot sign in to Entra ID.`);
  }
  return {
    systemuserid: String(user.systemuserid),
    objectId: user.azureactivedirectoryobjectid,
    fullname: String(user.fullname),
    username: String(user.domainname),
  };
}
