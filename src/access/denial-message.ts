import { GUID_SOURCE } from '../dataverse/facts.js';
import { PRIVILEGE_VERB, VERBS, type Verb } from './verbs.js';

/**
 * Reads the service's privilege-denied messages (0x80040220 PrivilegeDenied, 0x8004A110
 * CannotActOnBehalfOfAnotherUser) in every wording Dataverse has used. The templates, with where
 * each was seen, are in docs/dataverse-errors.md. Pure: text in, facts out; what is not in the
 * message is left out, never guessed.
 */

export type DenialTemplate =
  /** `Principal user (Id=…, type=8) is missing prvX privilege` (to 2015). */
  | 'principal-short'
  /** `… roleCount=…, privilegeCount=…, accessMode=0), is missing prvX privilege (Id=…) on OTC=… for entity '…'. context.Caller=…` */
  | 'principal-detailed'
  /** `… AADObjectId='…', MetadataCachePrivilegesCount=…, businessUnitId=…), is missing … (LocalizedName='…'). context.Caller=…. Consider adding …` */
  | 'principal-current'
  /** The error-code list's template: `The user does not hold the necessary privileges.` (nothing named). */
  | 'generic';

export interface PrivilegeDeniedMessage {
  template: DenialTemplate;
  /** The principal the check ran against; under impersonation, the user acted as, whoever lacks it. */
  principal?: { kind: 'user' | 'team'; id: string; typeCode: number };
  privilege?: string;
  privilegeId?: string;
  objectTypeCode?: number;
  /** The table's logical name. */
  entity?: string;
  localizedName?: string;
  /** `context.Caller`: the systemuserid the request runs as. */
  callerId?: string;
  roleCount?: number;
  privilegeCount?: number;
  /** `0` or `'0 Read-Write'`, as sent. */
  accessMode?: string;
  aadObjectId?: string;
  businessUnitId?: string;
  /** `Read Privilege Check For Owner failed with exception: …`: the principal is a new owner, not the caller. */
  ownerCheck: boolean;
}

const PRINCIPAL = /Principal (user|team) \(([^)]*)\)/i;
const MISSING = new RegExp(`is missing (prv\\w+) privilege(?: \\(Id=\\s*(${GUID_SOURCE})\\))?`, 'i');
const ENTITY = /on OTC=(\d+) for entity '([^']*)'(?: \(LocalizedName='(.*?)'\)(?=\.|\s|$))?/;
const CALLER = new RegExp(`context\\.Caller=\\s*(${GUID_SOURCE})`, 'i');
const OWNER_CHECK = /^Read Privilege Check For Owner failed/i;
const GUID = new RegExp(`^${GUID_SOURCE}$`);

/** Parses a 0x80040220 message; undefined for text that is none of the known templates. */
export function parsePrivilegeDenied(message: string): PrivilegeDeniedMessage | undefined {
  const text = message.trim();
  const ownerCheck = OWNER_CHECK.test(text);
  const principalMatch = PRINCIPAL.exec(text);
  const missing = MISSING.exec(text);
  if (!principalMatch || !missing) {
    return /does not hold the necessary privileges/i.test(text) ? { template: 'generic', ownerCheck } : undefined;
  }
  const fields = keyValues(principalMatch[2] ?? '');
  const id = fields.get('id');
  const type = Number(fields.get('type'));
  const kind = principalMatch[1]?.toLowerCase() === 'team' ? 'team' : 'user';
  const entity = ENTITY.exec(text);
  const caller = CALLER.exec(text)?.[1];
  const template: DenialTemplate = fields.has('aadobjectid') || fields.has('businessunitid') || entity?.[3] !== undefined
    ? 'principal-current'
    : fields.has('rolecount') || entity || caller
      ? 'principal-detailed'
      : 'principal-short';
  const parsed: PrivilegeDeniedMessage = { template, privilege: missing[1] as string, ownerCheck };
  if (id && GUID.test(id)) parsed.principal = { kind, id: id.toLowerCase(), typeCode: Number.isInteger(type) ? type : kind === 'team' ? 9 : 8 };
  if (missing[2]) parsed.privilegeId = missing[2].toLowerCase();
  if (entity) {
    parsed.objectTypeCode = Number(entity[1]);
    if (entity[2]) parsed.entity = entity[2];
    if (entity[3] !== undefined) parsed.localizedName = entity[3];
  }
  if (caller) parsed.callerId = caller.toLowerCase();
  const count = (name: string) => {
    const value = Number(fields.get(name));
    return fields.has(name) && Number.isInteger(value) ? value : undefined;
  };
  const roleCount = count('rolecount');
  const privilegeCount = count('privilegecount');
  if (roleCount !== undefined) parsed.roleCount = roleCount;
  if (privilegeCount !== undefined) parsed.privilegeCount = privilegeCount;
  const accessMode = fields.get('accessmode');
  if (accessMode) parsed.accessMode = accessMode;
  const objectId = fields.get('aadobjectid');
  if (objectId && GUID.test(objectId)) parsed.aadObjectId = objectId.toLowerCase();
  const unit = fields.get('businessunitid');
  if (unit && GUID.test(unit)) parsed.businessUnitId = unit.toLowerCase();
  return parsed;
}

/** `Id= 1a…, type=8, accessMode='0 Read-Write'` → lower-cased keys, unquoted values. */
function keyValues(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/(\w+)=\s*('([^']*)'|[^,]*)/g)) {
    const key = (match[1] ?? '').toLowerCase();
    fields.set(key, (match[3] ?? match[2] ?? '').trim());
  }
  return fields;
}

export type ActOnBehalfTemplate =
  /** `User does not have the privilege to act on behalf another user.` (the error-code list). */
  | 'list'
  /** `User {0} does not have the privilege to act on behalf of user {1}.`, placeholders filled or not. */
  | 'named';

export interface ActOnBehalfMessage {
  template: ActOnBehalfTemplate;
  /** What stands for {0} (the identity acting) and {1} (the user acted for), when the service filled them. */
  actor?: string;
  target?: string;
}

const NAMED = /^User (.+?) does not have the privilege to act on behalf of user (.+?)\.?$/i;

/** Parses a 0x8004A110 message; undefined for an unknown wording. */
export function parseCannotActOnBehalf(message: string): ActOnBehalfMessage | undefined {
  const text = message.trim();
  if (/^User does not have the privilege to act on behalf (of )?another user\.?$/i.test(text)) return { template: 'list' };
  const named = NAMED.exec(text);
  if (!named) return undefined;
  const filled = (value: string | undefined) => (value && !/^\{\d+\}$/.test(value) ? value : undefined);
  const actor = filled(named[1]);
  const target = filled(named[2]);
  return { template: 'named', ...(actor ? { actor } : {}), ...(target ? { target } : {}) };
}

export interface PrivilegeParts {
  verb: Verb;
  /** The table's schema name as the privilege spells it: `Account`, `incident`, `new_Project`. */
  table: string;
}

/** `prvAppendToAccount` → appendto + Account; undefined for a privilege that is not a table's (prvActOnBehalfOfAnotherUser). */
export function privilegeParts(privilege: string): PrivilegeParts | undefined {
  // AppendTo before Append: the longer verb first.
  const verbs = [...VERBS].sort((a, b) => PRIVILEGE_VERB[b].length - PRIVILEGE_VERB[a].length);
  for (const verb of verbs) {
    const prefix = `prv${PRIVILEGE_VERB[verb]}`;
    if (privilege.startsWith(prefix) && privilege.length > prefix.length) return { verb, table: privilege.slice(prefix.length) };
  }
  return undefined;
}
