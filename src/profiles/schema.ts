import { isAbsolute } from 'node:path';
import { AUTH_KINDS, type Profile } from './types.js';
import { GUID_PATTERN } from '../dataverse/facts.js';
import { API_VERSION_PATTERN, checkAuthority, checkEnvironmentUrl, checkTenant, PROFILE_NAME_PATTERN, TENANT_PATTERN } from './validate.js';
import { quote } from '../output/terminal-text.js';

/**
 * The profiles file (profiles.json in the config directory):
 *   { "defaultProfile": "dev", "profiles": { "dev": { "url": …, "auth": …, "apiVersion": … } } }
 * Only the fields below may appear, all strings. There is deliberately no field a secret could go in,
 * and an unknown field makes the file invalid rather than being carried along.
 */
type StoredField = Exclude<keyof Profile, 'name'>;

interface FieldRule {
  required: boolean;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

const STORED_FIELDS: Record<StoredField, FieldRule> = {
  url: { required: true },
  auth: { required: true, oneOf: AUTH_KINDS },
  tenantId: { required: false, pattern: TENANT_PATTERN },
  clientId: { required: false, pattern: GUID_PATTERN },
  certificatePath: { required: false },
  keyPath: { required: false },
  authority: { required: false },
  apiVersion: { required: true, pattern: API_VERSION_PATTERN },
  homeAccountId: { required: false },
  username: { required: false },
};
function isStoredField(key: string): key is StoredField {
  return Object.hasOwn(STORED_FIELDS, key);
}
const FIELD_NAMES: readonly StoredField[] = Object.keys(STORED_FIELDS).filter(isStoredField);
const MAX_VALUE_LENGTH = 2048;

/** The profiles as read: a Map, so a profile named "constructor" can never reach Object.prototype. */
export interface ProfilesSnapshot {
  profiles: ReadonlyMap<string, Profile>;
  /** The default profile's name; a default naming no profile (a hand edit) reads as none. */
  defaultName: string | undefined;
}

export const EMPTY_SNAPSHOT: ProfilesSnapshot = { profiles: new Map(), defaultName: undefined };

/**
 * The same rules as JSON Schema, for conf, which validates every write with it: a second gate that
 * keeps a stray key (a secret) out of the file even if a bug got past the typed code.
 */
export function profilesJsonSchema() {
  const properties = Object.fromEntries(
    FIELD_NAMES.map((field) => {
      const rule = STORED_FIELDS[field];
      return [
        field,
        {
          type: 'string',
          maxLength: MAX_VALUE_LENGTH,
          ...(rule.pattern ? { pattern: rule.pattern.source } : {}),
          ...(rule.oneOf ? { enum: [...rule.oneOf] } : {}),
        },
      ];
    }),
  );
  return {
    defaultProfile: { type: 'string', pattern: PROFILE_NAME_PATTERN.source },
    profiles: {
      type: 'object',
      propertyNames: { pattern: PROFILE_NAME_PATTERN.source },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: FIELD_NAMES.filter((field) => STORED_FIELDS[field].required),
        properties,
      },
    },
  } as const;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one stored profile; returns what is wrong with it, or the profile. */
function readStoredProfile(name: string, value: unknown): Profile | string {
  if (!PROFILE_NAME_PATTERN.test(name)) return `the profile name ${quote(name)} is not valid`;
  if (!isRecord(value)) return `profile ${quote(name)} is not an object`;
  const unknown = Object.keys(value).find((key) => !isStoredField(key));
  if (unknown !== undefined) return `profile ${quote(name)} has an unknown field ${quote(unknown)}`;
  const fields: Partial<Record<StoredField, string>> = {};
  for (const field of FIELD_NAMES) {
    const rule = STORED_FIELDS[field];
    const raw = value[field];
    if (raw === undefined) {
      if (rule.required) return `profile ${quote(name)} has no ${field}`;
      continue;
    }
    const valid =
      typeof raw === 'string' &&
      raw.length <= MAX_VALUE_LENGTH &&
      (!rule.pattern || rule.pattern.test(raw)) &&
      (!rule.oneOf || rule.oneOf.includes(raw));
    if (!valid) return `profile ${quote(name)} has an invalid ${field}`;
    fields[field] = raw;
  }
  const { url, auth, apiVersion, ...optional } = fields;
  const kind = AUTH_KINDS.find((candidate) => candidate === auth);
  if (url === undefined || kind === undefined || apiVersion === undefined) return `profile ${quote(name)} is incomplete`;
  // Values are stored already cleaned; anything else was edited by hand and is refused, not guessed at.
  const environment = checkEnvironmentUrl(url);
  if (!environment.ok || environment.value.url !== url) return `profile ${quote(name)} has an invalid url`;
  if (optional.authority !== undefined && !checkAuthority(optional.authority).ok) return `profile ${quote(name)} has an invalid authority`;
  // A domain name is stored as --tenant leaves it (lower case, within DNS's length); a GUID in any case.
  if (optional.tenantId !== undefined && !GUID_PATTERN.test(optional.tenantId)) {
    const tenant = checkTenant(optional.tenantId);
    if (!tenant.ok || tenant.value !== optional.tenantId) return `profile ${quote(name)} has an invalid tenantId`;
  }
  for (const path of [optional.certificatePath, optional.keyPath]) {
    if (path !== undefined && !isAbsolute(path)) return `profile ${quote(name)} has a relative file path`;
  }
  return { name, url, auth: kind, apiVersion, ...optional };
}

/**
 * Parses the profiles file. Throws `problem` sentences through `fail` so the caller names the file;
 * never repairs or drops anything silently.
 */
export function parseProfilesDocument(text: string, fail: (problem: string) => Error): ProfilesSnapshot {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw fail('is not valid JSON');
  }
  if (!isRecord(document)) throw fail('does not hold a JSON object');
  const extra = Object.keys(document).find((key) => key !== 'profiles' && key !== 'defaultProfile');
  if (extra !== undefined) throw fail(`has an unknown field ${quote(extra)}`);
  const profiles = new Map<string, Profile>();
  const stored = document.profiles ?? {};
  if (!isRecord(stored)) throw fail('has a "profiles" field that is not an object');
  for (const [name, value] of Object.entries(stored)) {
    const profile = readStoredProfile(name, value);
    if (typeof profile === 'string') throw fail(`is invalid: ${profile}`);
    profiles.set(name, profile);
  }
  const defaultProfile = document.defaultProfile;
  if (defaultProfile !== undefined && typeof defaultProfile !== 'string') throw fail('has a "defaultProfile" that is not a string');
  return { profiles, defaultName: defaultProfile !== undefined && profiles.has(defaultProfile) ? defaultProfile : undefined };
}

/** The file's JSON, as written. */
export interface ProfilesDocument {
  defaultProfile?: string;
  profiles: Record<string, Record<string, string>>;
}

/** The document to write, fields in a fixed order so diffs of the file stay small. */
export function toDocument(snapshot: ProfilesSnapshot): ProfilesDocument {
  const profiles = Object.fromEntries(
    [...snapshot.profiles.values()].map((profile) => {
      const stored = FIELD_NAMES.flatMap((field) => {
        const value = profile[field];
        return value === undefined ? [] : [[field, value] as const];
      });
      return [profile.name, Object.fromEntries(stored)];
    }),
  );
  return snapshot.defaultName === undefined ? { profiles } : { defaultProfile: snapshot.defaultName, profiles };
}
