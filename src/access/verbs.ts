/**
 * The table privileges and the access right each one needs on a record (the AccessRights enum:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/accessrights).
 */
export const VERBS = ['create', 'read', 'write', 'delete', 'append', 'appendto', 'assign', 'share'] as const;
export type Verb = (typeof VERBS)[number];

/** The verb as privilege names spell it: prvAppendToAccount. */
export const PRIVILEGE_VERB: Readonly<Record<Verb, string>> = {
  create: 'Create',
  read: 'Read',
  write: 'Write',
  delete: 'Delete',
  append: 'Append',
  appendto: 'AppendTo',
  assign: 'Assign',
  share: 'Share',
};

export const ACCESS_RIGHTS = [
  'ReadAccess',
  'WriteAccess',
  'AppendAccess',
  'AppendToAccess',
  'CreateAccess',
  'DeleteAccess',
  'ShareAccess',
  'AssignAccess',
] as const;
export type AccessRight = (typeof ACCESS_RIGHTS)[number];

export const ACCESS_RIGHT: Readonly<Record<Verb, AccessRight>> = {
  create: 'CreateAccess',
  read: 'ReadAccess',
  write: 'WriteAccess',
  delete: 'DeleteAccess',
  append: 'AppendAccess',
  appendto: 'AppendToAccess',
  assign: 'AssignAccess',
  share: 'ShareAccess',
};

export function isVerb(value: string): value is Verb {
  return (VERBS as readonly string[]).includes(value);
}

/** "ReadAccess, WriteAccess" (how the service serializes the flags) → the names; "None" → none. */
export function parseAccessRights(text: unknown): AccessRight[] {
  if (typeof text !== 'string') return [];
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name): name is AccessRight => (ACCESS_RIGHTS as readonly string[]).includes(name));
}
