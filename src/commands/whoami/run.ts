import type { CliContext } from '../../context.js';
import { DataverseApiError } from '../../dataverse/errors.js';
import { Annotation } from '../../dataverse/facts.js';
import { notApplied, whoElseRanIt } from '../../impersonation/not-applied.js';
import { openSession, type DataverseSession } from '../../impersonation/session.js';
import { toUserRecord, USER_SELECT, type UserRecord } from '../../users/user-record.js';
import type { WhoAmIView } from './view.js';

/**
 * `dvas whoami`: WhoAmI as the effective user, then that user's names. Under --as the answer must
 * be the --as user: if Dataverse ran the call as the signed-in identity instead, that is exit 8.
 */
export async function runWhoami(ctx: CliContext): Promise<WhoAmIView> {
  const session = await openSession(ctx);
  const answer = await session.client.whoAmI();
  const { actingAs } = session;
  if (actingAs) {
    const ranAs = await whoElseRanIt({ ...session, actingAs }, answer.UserId);
    if (ranAs) throw notApplied('Dataverse answered WhoAmI', ranAs, actingAs);
  }
  const user = actingAs?.user ?? (await readUser(session, answer.UserId, ctx));
  const caller = actingAs ? await session.signedIn() : null;
  return {
    UserId: answer.UserId,
    BusinessUnitId: answer.BusinessUnitId,
    OrganizationId: answer.OrganizationId,
    fullname: user?.fullname ?? null,
    domainname: user?.domainname ?? null,
    azureactivedirectoryobjectid: user?.azureactivedirectoryobjectid ?? null,
    businessunitname: user?.businessunitname ?? null,
    caller: caller && { UserId: caller.UserId, fullname: caller.fullname },
  };
}

/** The names are a courtesy: an identity that may not read users still learns its ids. */
async function readUser(session: DataverseSession, userId: string, ctx: CliContext): Promise<UserRecord | undefined> {
  try {
    return toUserRecord(await session.caller.retrieve('systemusers', userId, { select: USER_SELECT, annotations: Annotation.FormattedValue }));
  } catch (error) {
    if (!(error instanceof DataverseApiError)) throw error;
    const reason = error.status === 403 ? 'the signed-in identity may not read users.' : error.message;
    ctx.messages.warn(`Could not read the user's name and business unit: ${reason}`);
    return undefined;
  }
}
