import type { DataverseClient } from '../../../dataverse/client.js';
import { DataverseApiError } from '../../../dataverse/errors.js';
import { CliError } from '../../../errors.js';
import { NetworkFailureError } from '../../../http/network-failure.js';
import { resolveActingAs, type ActingAs } from '../../../impersonation/acting-as.js';
import { parseAsUser } from '../../../options/as-user.js';
import { quote } from '../../../output/terminal-text.js';

/** A user rows run as: resolved once, whatever number of rows name it. */
export interface RowUser {
  /** As the input (or --as) named it; undefined for the signed-in identity. */
  label: string | undefined;
  /** Undefined for the signed-in identity. */
  actingAs: ActingAs | undefined;
}

/**
 * Resolves every distinct `@as` value once, before anything is sent (docs/bulk-create.md,
 * "Users"): the forms `--as` takes, looked up as the signed-in identity. A value that names no
 * user, or two, or a disabled one, is a problem of the first row that names it.
 */
export type Resolution = { user: RowUser } | { problem: string };

export class RowUsers {
  /** One lookup per distinct value, kept as its promise: rows naming a user while it is looked up wait for the same answer. */
  private readonly lookups = new Map<string, Promise<Resolution>>();
  readonly signedIn: RowUser = { label: undefined, actingAs: undefined };
  private defaultResolution: Promise<Resolution> | undefined;

  constructor(
    private readonly caller: DataverseClient,
    private readonly options: { check: boolean; defaultUser: Promise<RowUser | undefined> },
  ) {}

  /** The user of a row naming `label` (undefined: the default), or why it cannot be used. */
  resolve(label: string | undefined): Promise<Resolution> {
    if (label === undefined) return (this.defaultResolution ??= this.options.defaultUser.then((user) => ({ user: user ?? this.signedIn })));
    let lookup = this.lookups.get(label);
    if (!lookup) {
      lookup = this.lookUp(label);
      this.lookups.set(label, lookup);
      // Asked for ahead of need: a failure is seen by whoever awaits it, never unhandled.
      lookup.catch(() => undefined);
    }
    return lookup;
  }

  private async lookUp(label: string): Promise<Resolution> {
    try {
      const asUser = parseAsUser(label, 'The user argument');
      const actingAs = await resolveActingAs(asUser, this.caller, { check: this.options.check });
      return { user: { label, actingAs } };
    } catch (error) {
      // The service or the network failing is the run's problem, not this row's.
      if (!(error instanceof CliError) || error instanceof DataverseApiError || error instanceof NetworkFailureError) throw error;
      return { problem: `the user ${quote(label)}: ${error.message.replace(/^The user argument /, '').replace(/\.$/, '')}` };
    }
  }
}
