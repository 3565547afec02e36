import { UsageError } from '../errors.js';
import { GUID_PATTERN } from '../dataverse/facts.js';
import { quote } from '../output/terminal-text.js';

/**
 * The user named by --as / DVAS_AS, classified by form. Turning it into a header happens in the data
 * commands: a systemuserid goes out as MSCRMCallerID, an Entra object id as CallerObjectId, and a
 * name is first looked up in systemusers.
 */
export type AsUser =
  | { kind: 'systemuserid'; id: string; raw: string }
  | { kind: 'object-id'; id: string; raw: string }
  | { kind: 'name'; name: string; raw: string };

/** Long enough for any UPN, email or DOMAIN\user (UPNs are at most 113 characters in Entra ID). */
export const MAX_AS_LENGTH = 256;

// Any C0 or C1 control character, DEL included: CR/LF would split a header, the others have no
// business in a user name and can reorder what a terminal shows.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const EMAIL_OR_UPN = /^[^\s@\\]+@[^\s@\\]+$/;
const DOWN_LEVEL_NAME = /^[^\s@\\]+\\[^\s@\\]+$/;

/** The value as messages quote it, escapes and all (it may hold anything). Not profiles/validate's `shown`: importing that would load the profile checks into every command that reads --as. */
const shown = (value: string): string => JSON.stringify(value);

const FORMS_HINT = 'Use a systemuserid GUID, aad:<Entra object id>, an email or UPN (sam@contoso.com), or DOMAIN\\user.';

/**
 * Classifies an --as value, or explains in one sentence why it is none of the accepted forms.
 * `source` starts that sentence: '--as', 'DVAS_AS', or 'The user argument' (`dvas roles <user>`).
 */
export function parseAsUser(raw: string, source: '--as' | 'DVAS_AS' | 'The user argument'): AsUser {
  // The issue makes any unusable value a usage error (exit 2), from the flag or the variable alike.
  const fail = (problem: string) => new UsageError(`${source} ${problem}.`, { hint: FORMS_HINT });
  if (raw.length === 0) throw fail('is empty');
  if (raw.length > MAX_AS_LENGTH) throw fail(`is longer than ${MAX_AS_LENGTH} characters`);
  if (CONTROL_CHARACTER.test(raw)) throw fail(`contains a control character: ${quote(raw)}`);
  const value = raw.trim();
  if (GUID_PATTERN.test(value)) return { kind: 'systemuserid', id: value.toLowerCase(), raw };
  if (/^aad:/i.test(value)) {
    const id = value.slice(4);
    if (!GUID_PATTERN.test(id)) throw fail(`must give a GUID after "aad:", not ${quote(id)}`);
    return { kind: 'object-id', id: id.toLowerCase(), raw };
  }
  if (EMAIL_OR_UPN.test(value) || DOWN_LEVEL_NAME.test(value)) return { kind: 'name', name: value, raw };
  throw fail(`is not a user dvas can look up: ${quote(raw)}`);
}
