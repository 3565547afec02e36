import { actingAsLabel } from './acting-as.js';
import { ImpersonationNotAppliedError, whoElseRanIt } from './not-applied.js';
import type { DataverseSession } from './session.js';

/**
 * For a write that leaves nothing to read back who made it (a delete, a link between rows): when
 * dvas could not check the --as user beforehand (the signed-in identity may not read users), it
 * asks WhoAmI under the impersonation header first. Dataverse silently ignores a header naming no
 * user it knows and runs the call as the signed-in identity; then the write is not sent (exit 8).
 * Under --dry-run nothing is asked: the write's own request is what is shown.
 */
export async function requireImpersonationApplied(session: DataverseSession, what: string, options: { dryRun: boolean }): Promise<void> {
  const { actingAs } = session;
  if (!actingAs || actingAs.user || options.dryRun) return;
  const { UserId } = await session.client.whoAmI();
  const ranAs = await whoElseRanIt({ ...session, actingAs }, UserId);
  if (ranAs) {
    throw new ImpersonationNotAppliedError(
      `Dataverse runs requests under --as ${actingAsLabel(actingAs)} as ${ranAs} (WhoAmI says so): it did not apply the impersonation, so dvas did not ${what}.`,
    );
  }
}
