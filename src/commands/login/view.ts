import type { Column } from '../../output/columns.js';

/** What `dvas login` prints: the profile and the account it now signs in as. */
export interface LoginView {
  profile: string;
  auth: string;
  /** Null for the sign-in kinds that need no login. */
  username: string | null;
  /** msal's id of the account in the token cache (`<object id>.<tenant id>`). */
  homeAccountId: string | null;
  /** False when the profile's kind needs no login (an application, a token…). */
  signedIn: boolean;
}

/** What `dvas logout` prints: the account that was signed out. */
export interface LogoutView {
  profile: string;
  auth: string;
  username: string | null;
  /** Whether the token cache held the account (it no longer does). */
  removed: boolean;
}

export const LOGIN_FIELDS: readonly Column<LoginView>[] = [
  { header: 'profile', value: (view) => view.profile },
  { header: 'auth', value: (view) => view.auth },
  { header: 'username', value: (view) => view.username },
  { header: 'homeAccountId', value: (view) => view.homeAccountId, paint: (text, chalk) => chalk.dim(text) },
  { header: 'signedIn', value: (view) => view.signedIn },
];

export const LOGOUT_FIELDS: readonly Column<LogoutView>[] = [
  { header: 'profile', value: (view) => view.profile },
  { header: 'auth', value: (view) => view.auth },
  { header: 'username', value: (view) => view.username },
  { header: 'removed', value: (view) => view.removed },
];
