import type { DataverseClient } from '../dataverse/client.js';
import type { ImpersonationTarget } from '../dataverse/policies/impersonation.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { AsUser } from '../options/as-user.js';
import { findUser, findUserByName } from '../users/find-user.js';
import { describeUser, type UserRecord } from '../users/user-record.js';

/** The --as user, resolved into the header that carries it. */
export interface ActingAs {
  /** As given on the command line or in DVAS_AS. */
  asUser: AsUser;
  target: ImpersonationTarget;
  /**
   * The user's row, when dvas could read it: not under --dry-run --offline for a GUID (nothing is
   * sent), nor when the signed-in identity may not read users.
   */
  user: UserRecord | undefined;
}

/**
 * Turns --as into an impersonation header, before the operation is sent, with the client of the
 * signed-in identity:
 * - a systemuserid → MSCRMCallerID; `aad:<object id>` → CallerObjectId. Both are checked with one
 *   read when the identity may read users, because the service can silently ignore an id naming
 *   no user and run the call as the caller;
 * - an email, UPN or DOMAIN\user → looked up; CallerObjectId when the user has an Entra object id,
 *   else MSCRMCallerID (on-premises users have none).
 * Unknown → exit 6, ambiguous → exit 2, disabled → exit 5.
 */
export async function resolveActingAs(asUser: AsUser, caller: DataverseClient, options: { check: boolean }): Promise<ActingAs> {
  if (asUser.kind === 'name') {
    const user = enabled(await findUserByName(asUser.name, caller));
    const target: ImpersonationTarget = user.azureactivedirectoryobjectid
      ? { kind: 'entra-object-id', objectId: user.azureactivedirectoryobjectid }
      : { kind: 'systemuserid', systemUserId: user.systemuserid };
    return { asUser, target, user };
  }
  const target: ImpersonationTarget =
    asUser.kind === 'systemuserid' ? { kind: 'systemuserid', systemUserId: asUser.id } : { kind: 'entra-object-id', objectId: asUser.id };
  if (!options.check) return { asUser, target, user: undefined };
  const { user } = await findUser(asUser, caller);
  return { asUser, target, user: user && enabled(user) };
}

function enabled(user: UserRecord): UserRecord {
  if (!user.isdisabled) return user;
  throw new CliError(`${describeUser(user)} is disabled in Dataverse, and no request can run as a disabled user.`, {
    exitCode: ExitCode.PrivilegeDenied,
    hint: 'Act as an enabled user (dvas users lists them), or enable this one in the Power Platform admin center.',
  });
}

/** How messages name the --as user: by name when known, else as it was given. */
export function actingAsLabel(actingAs: ActingAs): string {
  return actingAs.user ? describeUser(actingAs.user) : actingAs.asUser.raw.trim();
}

/** The --as user's systemuserid, when dvas knows it. */
export function actingAsUserId(actingAs: ActingAs): string | undefined {
  return actingAs.user?.systemuserid ?? (actingAs.target.kind === 'systemuserid' ? actingAs.target.systemUserId : undefined);
}
