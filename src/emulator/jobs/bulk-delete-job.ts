import type { EmulatorCore } from '../core.js';
import { errors } from '../http/errors.js';
import { newGuid } from '../ids.js';
import { ASYNC_STATE, ASYNC_STATUS, BULK_DELETE_OPERATION_TYPE } from '../metadata/job-tables.js';
import type { Principal } from '../security/model.js';
import type { Row } from '../store/types.js';
import { stampCreated } from '../write/audit.js';
import { removeAllAssociations } from '../write/associations.js';
import { assignOwner } from '../write/ownership.js';
import type { WriteSession } from '../write/session.js';
import type { BoundQuery } from './query-expression.js';

export interface BulkDeleteRequest {
  jobName: string;
  queries: readonly BoundQuery[];
  /** When the job may start (epoch ms): StartDateTime, or now. */
  startAt: number;
}

/**
 * Creates the System Job (asyncoperation) and its bulk delete operation for a BulkDelete request,
 * owned by the user the request runs as, and schedules the job off the request
 * (https://learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk: "runs
 * asynchronously without blocking other activities"). Returns the JobId: the asyncoperationid.
 *
 * States (docs/emulator-decisions.md, BulkDelete): Ready / Waiting For Resources when it may start
 * now, Suspended / Waiting with postponeuntil when StartDateTime is later; then Locked / In
 * Progress; then Completed / Succeeded, or Completed / Failed when it could not run at all.
 */
export function submitBulkDelete(session: WriteSession, request: BulkDeleteRequest): string {
  const { core } = session.ctx;
  const jobs = core.jobs;
  const now = jobs.clock.now();
  const postponed = request.startAt > now;
  const jobId = newGuid();
  const job: Row = {
    asyncoperationid: jobId,
    name: request.jobName,
    operationtype: BULK_DELETE_OPERATION_TYPE,
    messagename: 'BulkDelete',
    statecode: postponed ? ASYNC_STATE.Suspended : ASYNC_STATE.Ready,
    statuscode: postponed ? ASYNC_STATUS.Waiting : ASYNC_STATUS.WaitingForResources,
    postponeuntil: new Date(request.startAt).toISOString(),
    recurrencepattern: '',
    message: null,
    friendlymessage: null,
    errorcode: null,
    startedon: null,
    completedon: null,
  };
  stampCreated(session, core.metadata.require('asyncoperation'), job);
  assignOwner(session, job, session.actingUser);
  const operationId = newGuid();
  const operation: Row = {
    bulkdeleteoperationid: operationId,
    name: request.jobName,
    asyncoperationid: { table: 'asyncoperation', id: jobId },
    successcount: 0,
    failurecount: 0,
    isrecurring: false,
    nextrun: null,
    statecode: job.statecode as number,
    statuscode: job.statuscode as number,
  };
  stampCreated(session, core.metadata.require('bulkdeleteoperation'), operation);
  core.store.transaction(() => {
    core.store.insert('asyncoperation', jobId, job);
    core.store.insert('bulkdeleteoperation', operationId, operation);
  });
  const ids = { jobId, operationId };
  const principal = { callerId: session.ctx.principal.callerId, userId: session.ctx.principal.userId };
  jobs.schedule(request.startAt, () => {
    setState(core, ids, { statecode: ASYNC_STATE.Locked, statuscode: ASYNC_STATUS.InProgress, startedon: new Date(jobs.clock.now()).toISOString() });
    // The deletion itself a turn later: a client polling in between sees the job In Progress.
    jobs.schedule(jobs.clock.now(), () => runBulkDelete(core, ids, principal, request.queries));
  });
  return jobId;
}

interface JobIds {
  jobId: string;
  operationId: string;
}

/**
 * Deletes, as the user the request ran as (and within its caller's privileges under
 * impersonation), every row the queries select that was created before the job started: rows it
 * cannot read are not selected; rows it can read but not delete are counted as failures and kept.
 * Each row goes on its own: nothing rolls back ("If a bulk delete job fails or ends prematurely,
 * the operation doesn't roll back any deleted records").
 */
function runBulkDelete(core: EmulatorCore, ids: JobIds, who: { callerId: string; userId: string }, queries: readonly BoundQuery[]): void {
  const principal = currentPrincipal(core, who);
  if (typeof principal === 'string') {
    finish(core, ids, ASYNC_STATUS.Failed, 0, 0, principal);
    return;
  }
  const startedon = Date.parse(String(core.store.get('asyncoperation', ids.jobId)?.startedon ?? ''));
  const user = { userId: principal.userId, businessUnitId: core.security.businessUnitOf(principal.user) };
  let deleted = 0;
  let failed = 0;
  for (const query of queries) {
    const { table } = query;
    const read = core.security.access(principal, 'Read', table);
    const remove = core.security.access(principal, 'Delete', table);
    if (!read) continue;
    for (const row of [...core.store.rows(table.logicalName).values()]) {
      const id = String(row[table.primaryIdAttribute]);
      if (!core.store.get(table.logicalName, id)) continue;
      const created = typeof row.createdon === 'string' ? Date.parse(row.createdon) : Number.NEGATIVE_INFINITY;
      if (created > startedon || !read.covers(table, row) || !query.matches(row, user)) continue;
      if (!remove?.covers(table, row)) {
        failed++;
        continue;
      }
      core.store.transaction(() => {
        removeAllAssociations(core.store, table, id);
        core.store.delete(table.logicalName, id);
      });
      deleted++;
    }
  }
  finish(core, ids, ASYNC_STATUS.Succeeded, deleted, failed);
}

/** The principal the job runs as, read again when it runs; or why it cannot run. */
function currentPrincipal(core: EmulatorCore, who: { callerId: string; userId: string }): Principal | string {
  const user = core.store.get('systemuser', who.userId);
  const caller = core.store.get('systemuser', who.callerId);
  if (!user || !caller) return 'The user who submitted the job no longer exists.';
  for (const person of [user, caller]) {
    if (person.isdisabled === true) return errors.userDisabled(String(person.systemuserid)).message;
  }
  return { callerId: who.callerId, caller, userId: who.userId, user, impersonating: who.callerId !== who.userId };
}

function finish(core: EmulatorCore, ids: JobIds, statuscode: number, deleted: number, failed: number, message: string | null = null): void {
  const now = core.jobs.clock.now();
  const job = core.store.get('asyncoperation', ids.jobId);
  const started = typeof job?.startedon === 'string' ? Date.parse(job.startedon) : now;
  setState(
    core,
    ids,
    { statecode: ASYNC_STATE.Completed, statuscode, completedon: new Date(now).toISOString(), executiontimespan: (now - started) / 60_000, message, friendlymessage: message },
    { successcount: deleted, failurecount: failed },
  );
}

/** Moves the job and its operation on together (their statecode and statuscode are the same values). */
function setState(core: EmulatorCore, ids: JobIds, jobChanges: Row, operationChanges: Row = {}): void {
  const modifiedon = new Date(core.jobs.clock.now()).toISOString();
  const { store } = core;
  store.transaction(() => {
    const job = store.get('asyncoperation', ids.jobId);
    // Deleted meanwhile (the service lets an administrator delete a system job): nothing to record.
    if (job) store.replace('asyncoperation', ids.jobId, { ...job, ...jobChanges, modifiedon, versionnumber: store.nextVersion() });
    const operation = store.get('bulkdeleteoperation', ids.operationId);
    if (operation) {
      store.replace('bulkdeleteoperation', ids.operationId, {
        ...operation,
        ...operationChanges,
        statecode: jobChanges.statecode ?? operation.statecode ?? null,
        statuscode: jobChanges.statuscode ?? operation.statuscode ?? null,
        modifiedon,
        versionnumber: store.nextVersion(),
      });
    }
  });
}
