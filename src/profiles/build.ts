import { PUBLIC_CLIENT_ID } from '../dataverse/facts.js';
import type { AuthKind, Profile } from './types.js';
import {
  checkApiVersion,
  checkAuthKind,
  checkAuthority,
  checkEnvironmentUrl,
  checkGuid,
  checkProfileName,
  checkTenant,
  DEFAULT_API_VERSION,
  type Checked,
} from './validate.js';
import { quote } from '../output/terminal-text.js';

/** Profile fields as typed by a person: flags of `profile add`, or DVAS_* / AZURE_* variables. */
export interface ProfileInput {
  name: string;
  url: string;
  auth: string;
  tenantId?: string | undefined;
  clientId?: string | undefined;
  certificatePath?: string | undefined;
  keyPath?: string | undefined;
  authority?: string | undefined;
  apiVersion?: string | undefined;
}

/** Where each field came from, for messages: "--tenant" or "AZURE_TENANT_ID". */
export type InputLabels = Record<keyof ProfileInput, string>;

/**
 * What a sign-in kind does with a client id: `required` (an app registration of your own),
 * `public-default` (Microsoft's pre-approved public client unless given), `optional`
 * (a user-assigned managed identity), `unused` (the token comes from elsewhere).
 */
export const CLIENT_ID_USE: Record<AuthKind, 'required' | 'public-default' | 'optional' | 'unused'> = {
  'client-secret': 'required',
  certificate: 'required',
  'workload-identity': 'required',
  // The well-known public client is registered for device code; an interactive (loopback redirect)
  // sign-in needs an app whose redirect URIs include http://localhost, so the user names it.
  interactive: 'required',
  'device-code': 'public-default',
  'managed-identity': 'optional',
  'azure-cli': 'unused',
  token: 'unused',
};

export interface BuildOptions {
  labels: InputLabels;
  /** Makes the error for a bad value: a usage error for flags, a configuration error for variables. */
  fail: (message: string) => Error;
  /** Checks a certificate or key path (exists, readable) and makes it absolute. */
  checkFile: (raw: string) => Checked<string>;
}

export interface BuiltProfile {
  profile: Profile;
  /** Things the person should know (a dropped URL path), for stderr. */
  notes: string[];
}

/**
 * Turns typed input into a valid profile or throws one clear sentence naming the flag or variable.
 * Every value is checked before anything is returned, so a caller that saves only the result can
 * never half-write a profile.
 */
export function buildProfile(input: ProfileInput, options: BuildOptions): BuiltProfile {
  const { labels, fail } = options;
  const take = <T>(checked: Checked<T>, label: string): T => {
    if (!checked.ok) throw fail(`${label} ${checked.problem}.`);
    return checked.value;
  };
  const notes: string[] = [];
  const name = take(checkProfileName(input.name), labels.name);
  const auth = take(checkAuthKind(input.auth), labels.auth);
  const environment = take(checkEnvironmentUrl(input.url), labels.url);
  const profile: Profile = { name, url: environment.url, auth, apiVersion: DEFAULT_API_VERSION };

  if (input.apiVersion !== undefined) profile.apiVersion = take(checkApiVersion(input.apiVersion), labels.apiVersion);
  else if (environment.apiVersionInPath) profile.apiVersion = environment.apiVersionInPath;
  if (environment.droppedPath !== undefined) {
    const version = input.apiVersion === undefined && environment.apiVersionInPath ? `, API version ${environment.apiVersionInPath}` : '';
    notes.push(`Using the environment URL ${environment.url}${version} (dropped ${quote(environment.droppedPath)} from ${labels.url}).`);
  }

  if (input.tenantId !== undefined) profile.tenantId = take(checkTenant(input.tenantId), labels.tenantId);
  if (input.authority !== undefined) profile.authority = take(checkAuthority(input.authority), labels.authority);

  const clientIdUse = CLIENT_ID_USE[auth];
  if (input.clientId !== undefined) {
    if (clientIdUse === 'unused') throw fail(`${labels.clientId} does not apply to ${auth} sign-in.`);
    profile.clientId = take(checkGuid(input.clientId), labels.clientId);
  } else if (clientIdUse === 'required') {
    throw fail(`${auth} sign-in needs the application (client) id: set ${labels.clientId}.`);
  } else if (clientIdUse === 'public-default') {
    profile.clientId = PUBLIC_CLIENT_ID;
  }

  const hasCertificateInput = input.certificatePath !== undefined || input.keyPath !== undefined;
  if (auth === 'certificate') {
    if (input.certificatePath === undefined || input.keyPath === undefined) {
      throw fail(`certificate sign-in needs both ${labels.certificatePath} and ${labels.keyPath} (PEM files).`);
    }
    profile.certificatePath = take(options.checkFile(input.certificatePath), labels.certificatePath);
    profile.keyPath = take(options.checkFile(input.keyPath), labels.keyPath);
  } else if (hasCertificateInput) {
    throw fail(`${labels.certificatePath} and ${labels.keyPath} apply only to certificate sign-in.`);
  }
  return { profile, notes };
}
