import { DataverseApiError } from '../dataverse/errors.js';
import { ErrorCode, GUID_SOURCE, isErrorCode } from '../dataverse/facts.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { actingAsLabel, actingAsUserId, type ActingAs } from './acting-as.js';
import { namePlaceholders } from './placeholders.js';
import { signedInLabel, type DataverseSession, type SignedInIdentity } from './session.js';
import { userPrivilege, type PrivilegeHolding } from './user-privilege.js';

const ACT_ON_BEHALF_PRIVILEGE = 'prvActOnBehalfOfAnotherUser';
/** "… is missing prvCreateAccount privilege (Id=…) …" in the PrivilegeDenied message (docs/dataverse-web-api.md §5.5). */
const MISSING_PRIVILEGE = /is missing (prv[A-Za-z0-9_]+) privilege/;
/** Under --as the service names the user acted as here, whoever lacks the privilege. */
const PRINCIPAL_ID = new RegExp(`Principal user \\(Id=\\s*(${GUID_SOURCE})`, 'i');

type ImpersonatingSession = DataverseSession & { actingAs: ActingAs };

/**
 * Runs a command's operation; a privilege failure under --as comes back explained. Wrap only
 * requests sent as the --as user: a lookup made as the signed-in identity has no quirk to explain.
 */
export async function explainingDenials<T>(session: DataverseSession, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw await explainDenial(error, session);
  }
}

/**
 * Sees through the two privilege failures that read confusingly under --as:
 * - 0x80040220 PrivilegeDenied: the message names the user acted as as the principal even when it
 *   is the signed-in identity that lacks the privilege (under impersonation both must hold it).
 *   dvas asks Dataverse which of the two holds it and says who actually lacks it;
 * - 0x8004A110: acting on behalf of another user needs prvActOnBehalfOfAnotherUser from a role
 *   assigned directly; held through a team it does not count, which this checks and says.
 * The result keeps the Dataverse code, status and exit 5; the service's own words go under
 * --verbose. When dvas cannot find out more, the original error stands.
 */
export async function explainDenial(error: unknown, session: DataverseSession): Promise<unknown> {
  const { actingAs } = session;
  if (!actingAs || !(error instanceof DataverseApiError)) return error;
  const impersonating: ImpersonatingSession = { ...session, actingAs };
  try {
    switch (error.code?.toLowerCase()) {
      case ErrorCode.PrivilegeDenied:
        return (await explainPrivilegeDenied(error, impersonating)) ?? error;
      case ErrorCode.CannotActOnBehalfOfAnotherUser:
        return await explainCannotActOnBehalf(error, impersonating);
      default:
        return error;
    }
  } catch {
    // Finding out more failed (network, an odd answer): the service's own error is still true,
    // with the users it leaves as {0} and {1} named as far as dvas knows them.
    if (!isErrorCode(error.code, ErrorCode.CannotActOnBehalfOfAnotherUser) || !/\{\d+\}/.test(error.serviceMessage)) return error;
    const named = namePlaceholders(error.serviceMessage, ['the signed-in identity', actingAsLabel(actingAs)]);
    return explained(error, named, { hint: error.hint ?? '' }, named);
  }
}

async function explainPrivilegeDenied(error: DataverseApiError, session: ImpersonatingSession): Promise<CliError | undefined> {
  const privilege = MISSING_PRIVILEGE.exec(error.serviceMessage)?.[1];
  if (!privilege) return undefined;
  const signedIn = await session.signedIn();
  const targetId = actingAsUserId(session.actingAs) ?? PRINCIPAL_ID.exec(error.serviceMessage)?.[1];
  const caller = await userPrivilege(session.caller, signedIn.UserId, privilege);
  const target: PrivilegeHolding = targetId ? await targetPrivilege(session, targetId, privilege) : { holds: 'unknown' };
  const callerLabel = signedInLabel(signedIn);
  const targetLabel = actingAsLabel(session.actingAs);
  const message = verdict(
    privilege,
    { label: callerLabel, name: callerLabel, holding: caller },
    { label: targetLabel, name: session.actingAs.user?.fullname ?? targetLabel, holding: target },
  );
  if (!message) return undefined;
  return explained(error, message, {
    hint:
      'Under --as Dataverse allows only what both the signed-in identity and the user acted as may do, and its message names the ' +
      'user acted as either way. dvas roles <user> lists anyone\'s roles.',
  });
}

/** The signed-in identity may not be allowed to read the other user's privileges; the user may always read their own. */
async function targetPrivilege(session: ImpersonatingSession, targetId: string, privilege: string): Promise<PrivilegeHolding> {
  const asCaller = await userPrivilege(session.caller, targetId, privilege);
  return asCaller.holds === 'unknown' ? userPrivilege(session.client, targetId, privilege) : asCaller;
}

interface Side {
  /** How the sentence names it in full: "Sam Sales (sam.sales@contoso.com)". */
  label: string;
  /** How it is named again: "Sam Sales". */
  name: string;
  holding: PrivilegeHolding;
}

/** Who lacks the privilege, in one sentence; undefined when neither side could be checked. */
function verdict(privilege: string, caller: Side, target: Side): string | undefined {
  const c = caller.holding;
  const t = target.holding;
  if (c.holds === true && t.holds === true) {
    const depths = c.depth && t.depth ? ` (at ${c.depth} and ${t.depth} depth)` : '';
    return (
      `Both ${caller.label} and ${target.label} hold ${privilege}${depths}, but not at a depth that reaches this row: ` +
      'under --as the shallower of the two applies.'
    );
  }
  if (c.holds === false && t.holds === false) return `Both ${caller.label} and ${target.label} lack ${privilege}.`;
  if (c.holds === false && t.holds === true) {
    return `${capitalized(caller.label)} lacks ${privilege}; ${target.label} holds it, though Dataverse's message names ${target.name}.`;
  }
  if (t.holds === false && c.holds === true) return `${capitalized(target.label)} lacks ${privilege}; ${caller.label} holds it.`;
  if (c.holds === false) return `${capitalized(caller.label)} lacks ${privilege} (dvas could not check ${target.label}).`;
  if (t.holds === false) return `${capitalized(target.label)} lacks ${privilege} (dvas could not check ${caller.label}).`;
  if (c.holds === true) return `${capitalized(caller.label)} holds ${privilege}, so ${target.label} lacks it or holds it at too shallow a depth (dvas could not check).`;
  if (t.holds === true) return `${capitalized(target.label)} holds ${privilege}, so ${caller.label} lacks it or holds it at too shallow a depth (dvas could not check).`;
  return undefined;
}

async function explainCannotActOnBehalf(error: DataverseApiError, session: ImpersonatingSession): Promise<CliError> {
  const signedIn: SignedInIdentity = await session.signedIn();
  const who = capitalized(signedInLabel(signedIn));
  const holding = await userPrivilege(session.caller, signedIn.UserId, ACT_ON_BEHALF_PRIVILEGE);
  // Held and still refused: it can only come from a team's role, which does not count for this privilege.
  const message =
    holding.holds === true
      ? `${who} holds ${ACT_ON_BEHALF_PRIVILEGE} only through a team, and that does not count: it may act on behalf of another user only through a role assigned to it directly.`
      : holding.holds === false
        ? `${who} may not act on behalf of another user: it lacks ${ACT_ON_BEHALF_PRIVILEGE}.`
        : `${who} may not act on behalf of another user (${ACT_ON_BEHALF_PRIVILEGE}).`;
  // The template's {0} is the identity acting, {1} the user it acts on behalf of.
  const said = namePlaceholders(error.serviceMessage, [signedInLabel(signedIn), actingAsLabel(session.actingAs)]);
  return explained(
    error,
    message,
    { hint: 'Assign the signed-in identity a security role with prvActOnBehalfOfAnotherUser (such as Delegate) directly: a role held through a team does not count.' },
    said,
  );
}

function explained(error: DataverseApiError, message: string, options: { hint: string }, said = error.serviceMessage): CliError {
  return new CliError(message, {
    exitCode: ExitCode.PrivilegeDenied,
    status: error.status,
    hint: options.hint,
    ...(error.code ? { code: error.code } : {}),
    detail: `Dataverse said: ${said}${error.detail ? `\n${error.detail}` : ''}`,
    cause: error,
  });
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
