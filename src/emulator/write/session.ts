import type { RequestContext } from '../http/context.js';
import type { PrivilegeVerb, TableDef } from '../metadata/types.js';
import { requireAccess } from '../security/checks.js';
import type { AccessScope } from '../security/model.js';
import { isLookupValue, type LookupValue, type Row } from '../store/types.js';

/**
 * What every write of one request shares: who writes (the effective user, and the caller when it
 * acts on that user's behalf), the request's timestamp, and the privilege scopes already computed.
 * A CreateMultiple of 1,000 rows computes its Create scope once, not 1,000 times.
 */
export class WriteSession {
  readonly now: string;
  /** The user the request runs as (B): createdby, modifiedby and the default owner. */
  readonly actingUser: LookupValue;
  /** The caller (A) when it impersonates B: createdonbehalfby / modifiedonbehalfby. */
  readonly onBehalfOf: LookupValue | null;
  readonly actingBusinessUnit: LookupValue | null;
  private readonly scopes = new Map<string, AccessScope | undefined>();

  constructor(readonly ctx: RequestContext) {
    this.now = new Date(ctx.core.clock.now()).toISOString();
    const { principal } = ctx;
    this.actingUser = { table: 'systemuser', id: principal.userId };
    this.onBehalfOf = principal.impersonating ? { table: 'systemuser', id: principal.callerId } : null;
    const unit = principal.user.businessunitid;
    this.actingBusinessUnit = isLookupValue(unit) ? unit : null;
  }

  get store() {
    return this.ctx.core.store;
  }

  /** Demands a table privilege, reaching `row` when one is given (403 PrivilegeDenied otherwise). */
  require(verb: PrivilegeVerb, table: TableDef, row?: Row): void {
    const key = `${verb} ${table.logicalName}`;
    let scope = this.scopes.get(key);
    if (scope === undefined && !this.scopes.has(key)) {
      scope = this.ctx.core.security.access(this.ctx.principal, verb, table);
      this.scopes.set(key, scope);
    }
    if (scope && (!row || scope.covers(table, row))) return;
    // The shared check words the service's PrivilegeDenied message (and throws it).
    requireAccess(this.ctx.core.security, this.ctx.principal, verb, table, row);
  }
}
