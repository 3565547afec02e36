import type { Column } from '../../output/columns.js';
import type { Profile } from '../../profiles/types.js';

/**
 * A profile as the profile commands print it. Every key is always present (null when unset), so the
 * JSON shape is the same for every profile.
 */
export interface ProfileView {
  name: string;
  url: string;
  auth: string;
  apiVersion: string;
  tenantId: string | null;
  clientId: string | null;
  authority: string | null;
  certificatePath: string | null;
  keyPath: string | null;
  /** The account `dvas login` signed in with, for the user sign-in kinds. */
  username: string | null;
  isDefault: boolean;
}

export function toProfileView(profile: Profile, isDefault: boolean): ProfileView {
  return {
    name: profile.name,
    url: profile.url,
    auth: profile.auth,
    apiVersion: profile.apiVersion,
    tenantId: profile.tenantId ?? null,
    clientId: profile.clientId ?? null,
    authority: profile.authority ?? null,
    certificatePath: profile.certificatePath ?? null,
    keyPath: profile.keyPath ?? null,
    username: profile.username ?? null,
    isDefault,
  };
}

/** `profile list` columns. */
export const PROFILE_COLUMNS: readonly Column<ProfileView>[] = [
  { header: 'name', value: (view) => view.name, paint: (text, chalk, view) => (view.isDefault ? chalk.bold(text) : text) },
  { header: 'url', value: (view) => view.url },
  { header: 'auth', value: (view) => view.auth },
  { header: 'default', value: (view) => view.isDefault, paint: (text, chalk, view) => (view.isDefault ? chalk.green(text) : chalk.dim(text)) },
];

/** `profile show` / `add` / `use` lines, with the unset ones shown empty. */
export const PROFILE_FIELDS: readonly Column<ProfileView>[] = [
  { header: 'name', value: (view) => view.name },
  { header: 'url', value: (view) => view.url },
  { header: 'auth', value: (view) => view.auth },
  { header: 'apiVersion', value: (view) => view.apiVersion },
  { header: 'tenantId', value: (view) => view.tenantId, paint: (text, chalk) => chalk.dim(text) },
  { header: 'clientId', value: (view) => view.clientId, paint: (text, chalk) => chalk.dim(text) },
  { header: 'authority', value: (view) => view.authority },
  { header: 'certificatePath', value: (view) => view.certificatePath },
  { header: 'keyPath', value: (view) => view.keyPath },
  { header: 'username', value: (view) => view.username },
  { header: 'isDefault', value: (view) => view.isDefault },
];
