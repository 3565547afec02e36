import type { DataverseClient } from '../../../dataverse/client.js';
import { DataverseApiError } from '../../../dataverse/errors.js';
import { CliError } from '../../../errors.js';
import { NetworkFailureError } from '../../../http/network-failure.js';
import { resolveActingAs, type ActingAs } from '../../../impersonation/acting-as.js';
import { parseAsUser } from '../../../options/as-user.js';

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
export class RowUsers {
  private readonly resolved = new Map<string, RowUser>();
  private readonly failed = new Map<string, string>();
  readonly signedIn: RowUser = { label: undefined, actingAs: undefined };

  constructor(
    private readonly caller: DataverseClient,
    private readonly options: { check: boolean; defaultUser: RowUser | undefined },
  ) {}

  /** The user of a row naming `label` (undefined: the default), or why it cannot be used. */
  async resolve(label: string | undefined): Promise<{ user: RowUser } | { problem: string }> {
    if (label === undefined) return { user: this.options.defaultUser ?? this.signedIn };
    const known = this.resolved.get(label);
    if (known) return { user: known };
    const failure = this.failed.get(label);
    if (failure !== undefined) return { problem: failure };
    try {
      const asUser = parseAsUser(label, 'The user argument');
      const actingAs = await resolveActingAs(asUser, this.caller, { check: this.options.check });
      const user: RowUser = { label, actingAs };
      this.resolved.set(label, user);
      return { user };
    } catch (error) {
      // The service or the network failing is the run's problem, not this row's.
      if (!(error instanceof CliError) || error instanceof DataverseApiError || error instanceof NetworkFailureError) throw error;
      const problem = `the user ${JSON.stringify(label)}: ${error.message.replace(/^The user argument /, '').replace(/\.$/, '')}`;
      this.failed.set(label, problem);
      return { problem };
    }
  }

  /** The users resolved so far, in the order first met. */
  all(): RowUser[] {
    return [...this.resolved.values()];
  }
}
