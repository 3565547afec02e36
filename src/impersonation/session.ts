import type { CliContext, DataverseClient } from '../context.js';
import { DataverseApiError } from '../dataverse/errors.js';
import type { AsUser } from '../options/as-user.js';
import { resolveActingAs, type ActingAs } from './acting-as.js';
import { quote } from '../output/terminal-text.js';

/** The identity the token belongs to, as Dataverse knows it. */
export interface SignedInIdentity {
  UserId: string;
  /** Null when the identity may not read its own user row. */
  fullname: string | null;
}

/**
 * A command's connection to Dataverse with --as applied: `client` runs every request as the --as
 * user (or as the signed-in identity without --as), `caller` always as the signed-in identity, for
 * lookups and for checking what happened. Both share one connection and one token.
 */
export interface DataverseSession {
  client: DataverseClient;
  caller: DataverseClient;
  /** Undefined without --as. */
  actingAs: ActingAs | undefined;
  /** Who signed in (WhoAmI without the impersonation header, and the name); asked once. */
  signedIn(): Promise<SignedInIdentity>;
}

/**
 * Opens the session for a command that calls Dataverse, resolving --as first (lookups run as the
 * signed-in identity, before the operation is sent).
 *
 * Under --dry-run the user is looked up (or its GUID checked) for real, as a lookup, so that the
 * request printed is the operation's with its caller header. Under --dry-run --offline nothing is
 * sent: a GUID is used unchecked, and a name's lookup is the request printed, with a note saying so.
 */
export async function openSession(ctx: CliContext): Promise<DataverseSession> {
  const caller = await ctx.dataverse();
  let identity: Promise<SignedInIdentity> | undefined;
  const signedIn = () => (identity ??= identify(caller));
  const asUser = ctx.options.as;
  if (!asUser) return { client: caller, caller, actingAs: undefined, signedIn };

  if (ctx.options.offline && asUser.kind === 'name') noteOfflineUserLookup(ctx, asUser, 'give --as a systemuserid or aad:<object id>');
  const actingAs = await resolveActingAs(asUser, caller.lookups(), { check: !ctx.options.offline });
  if (!actingAs.user && !ctx.options.offline && ctx.options.verbose) {
    ctx.messages.note(`Could not check that ${asUser.raw.trim()} names an enabled user (the signed-in identity may not read users); the result will be checked instead.`);
  }
  return { client: caller.actingAs(actingAs.target), caller, actingAs, signedIn };
}

/**
 * Under --dry-run --offline, when the request about to be printed is the lookup of a user rather
 * than the operation: the note that says so, the same for --as and for a user argument.
 */
export function noteOfflineUserLookup(ctx: Pick<CliContext, 'messages'>, asUser: AsUser, instead: string): void {
  ctx.messages.note(
    `dvas would first look up ${quote(asUser.kind === 'name' ? asUser.name : asUser.raw.trim())} in systemusers, so that is the request shown; ` +
      `run without --offline, or ${instead}, to see the request of the operation itself.`,
  );
}

/** Who signed in: WhoAmI without the impersonation header, and the name when the identity may read it. */
export async function identify(client: DataverseClient): Promise<SignedInIdentity> {
  const caller = client.lookups();
  const { UserId } = await caller.whoAmI();
  try {
    const row = await caller.retrieve('systemusers', UserId, { select: ['fullname'] });
    return { UserId, fullname: typeof row.fullname === 'string' ? row.fullname : null };
  } catch (error) {
    // The name only makes messages friendlier; an identity that may not read users still has its id.
    if (error instanceof DataverseApiError) return { UserId, fullname: null };
    throw error;
  }
}

/** "the signed-in identity (dvas demo app)" */
export function signedInLabel(identity: SignedInIdentity): string {
  return identity.fullname ? `the signed-in identity (${identity.fullname})` : `the signed-in identity (${identity.UserId})`;
}
