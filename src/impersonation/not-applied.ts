import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { actingAsLabel, actingAsUserId, type ActingAs } from './acting-as.js';
import { signedInLabel, type DataverseSession } from './session.js';

/**
 * The service ran a call as someone other than the --as user (exit 8): it silently ignores an
 * impersonation header naming no user it knows, and some messages ignore impersonation altogether
 * (docs/dataverse-web-api.md §1.1, §1.3).
 */
export class ImpersonationNotAppliedError extends CliError {
  constructor(message: string) {
    super(message, {
      exitCode: ExitCode.ImpersonationNotApplied,
      hint: 'Dataverse ignores an impersonation header that names no user it knows: check the user with dvas users.',
    });
    this.name = 'ImpersonationNotAppliedError';
  }
}

/**
 * Checks that the user Dataverse says it ran the call as (WhoAmI's UserId, a row's createdby) is
 * the --as user. When dvas could not look that user up, the one thing it can still tell is whether
 * the call ran as the signed-in identity. Returns how to name whom it ran as, when it was not the
 * --as user; undefined when impersonation took effect.
 */
export async function whoElseRanIt(session: DataverseSession & { actingAs: ActingAs }, effectiveUserId: string): Promise<string | undefined> {
  const effective = effectiveUserId.toLowerCase();
  const targetId = actingAsUserId(session.actingAs);
  if (targetId === effective) return undefined;
  const signedIn = await session.signedIn();
  if (signedIn.UserId.toLowerCase() === effective) return signedInLabel(signedIn);
  return targetId === undefined ? undefined : `user ${effective}`;
}

/** "… as the signed-in identity (dvas demo app), not as 0000…: Dataverse did not apply the impersonation." */
export function notApplied(what: string, ranAs: string, actingAs: ActingAs): ImpersonationNotAppliedError {
  return new ImpersonationNotAppliedError(`${what} as ${ranAs}, not as ${actingAsLabel(actingAs)}: Dataverse did not apply the impersonation.`);
}
