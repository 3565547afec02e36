import type { RequestContext } from '../http/context.js';
import { errors } from '../http/errors.js';
import { jsonResponse } from '../http/respond.js';
import type { EmulatorResponse } from '../http/types.js';
import { submitBulkDelete } from '../jobs/bulk-delete-job.js';
import { bindQueryExpression } from '../jobs/query-expression.js';
import { parseJsonObject } from '../odata/payload.js';
import { requireAccess } from '../security/checks.js';
import { privilegeDeniedMessage } from '../security/denied-message.js';
import { isJsonObject, jsonNodeKind } from '../write/json-node.js';
import { requireMessageSupported } from '../write/messages.js';
import { WriteSession } from '../write/session.js';

const ACTION = 'BulkDelete';
const BULK_DELETE_PRIVILEGE = 'prvBulkDelete';
const PARAMETERS = new Set([
  'QuerySet',
  'JobName',
  'SendEmailNotification',
  'ToRecipients',
  'CCRecipients',
  'RecurrencePattern',
  'StartDateTime',
  'SourceImportId',
  'RunNow',
  'Options',
]);
/** Required by BulkDeleteRequest (the SDK's reference marks these "Required"). */
const REQUIRED = ['QuerySet', 'JobName', 'SendEmailNotification', 'ToRecipients', 'CCRecipients'] as const;
const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * `POST BulkDelete` (https://learn.microsoft.com/power-apps/developer/data-platform/delete-data-bulk):
 * checks the request and the caller's privileges now (BulkDelete, and Delete and Read on every
 * queried table), then answers 200 `{"JobId": …}` while the job runs in the background
 * (jobs/bulk-delete-job.ts). What the emulator does not carry out (e-mail, recurrence, an import's
 * rows) is a 501 naming it; the Options that only concern plug-ins and the recycle bin, which the
 * emulator has not, are accepted (docs/emulator-decisions.md, BulkDelete).
 */
export function bulkDelete(ctx: RequestContext): EmulatorResponse {
  if (ctx.method !== 'POST') throw errors.noHttpResource(ctx.requestUri);
  const parameters = readParameters(ctx);
  for (const name of REQUIRED) {
    if (parameters[name] === undefined || parameters[name] === null) throw errors.missingActionParameter(name, ACTION);
  }
  const jobName = parameters.JobName;
  if (typeof jobName !== 'string') throw notConvertible(jobName, 'Edm.String');
  if (typeof parameters.SendEmailNotification !== 'boolean') throw notConvertible(parameters.SendEmailNotification, 'Edm.Boolean');
  if (parameters.SendEmailNotification) throw errors.notEmulated("BulkDelete's SendEmailNotification (the emulator sends no e-mail)");
  for (const name of ['ToRecipients', 'CCRecipients'] as const) {
    if (!Array.isArray(parameters[name])) throw errors.unexpectedJsonNode(ACTION, jsonNodeKind(parameters[name]), 'StartArray');
  }
  const recurrence = parameters.RecurrencePattern;
  if (recurrence !== undefined && recurrence !== null && recurrence !== '') {
    if (typeof recurrence !== 'string') throw notConvertible(recurrence, 'Edm.String');
    throw errors.notEmulated(`BulkDelete's RecurrencePattern '${recurrence}' (the emulator runs a job once)`);
  }
  if (parameters.SourceImportId !== undefined && parameters.SourceImportId !== null) {
    throw errors.notEmulated("BulkDelete's SourceImportId (the emulator has no data imports)");
  }
  if (parameters.RunNow !== undefined && parameters.RunNow !== null && typeof parameters.RunNow !== 'boolean') {
    throw notConvertible(parameters.RunNow, 'Edm.Boolean');
  }
  readOptions(parameters.Options);
  const startAt = startTime(ctx, parameters.StartDateTime);

  const querySet = parameters.QuerySet;
  if (!Array.isArray(querySet)) throw errors.unexpectedJsonNode(ACTION, jsonNodeKind(querySet), 'StartArray');
  const queries = querySet.map((query: unknown, index) => bindQueryExpression(ctx.core.metadata, query, index));

  const { security } = ctx.core;
  if (!security.holdsPrivilege(ctx.principal, BULK_DELETE_PRIVILEGE)) {
    throw errors.privilegeDenied(privilegeDeniedMessage(security, ctx.principal.user, BULK_DELETE_PRIVILEGE, ctx.core.metadata.require('bulkdeleteoperation')));
  }
  for (const { table } of queries) {
    requireMessageSupported(table, 'Delete');
    requireAccess(security, ctx.principal, 'Delete', table);
    requireAccess(security, ctx.principal, 'Read', table);
  }
  const jobId = submitBulkDelete(new WriteSession(ctx), { jobName, queries, startAt });
  return jsonResponse(200, { '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse`, JobId: jobId });
}

function readParameters(ctx: RequestContext): Record<string, unknown> {
  const parsed = parseJsonObject(ACTION, ctx.request.body);
  for (const name in parsed) {
    if (!PARAMETERS.has(name) && !name.startsWith('@')) throw errors.unknownActionParameter(ACTION, name, ACTION);
  }
  return parsed;
}

/**
 * BulkDeleteOptions: CanRecoverDeletedRecords (the recycle bin) and RunJobForSandbox (skip
 * plug-ins, workflows and the recycle bin) change nothing an emulator without either can show.
 */
function readOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  if (!isJsonObject(options)) throw errors.unexpectedJsonNode(ACTION, jsonNodeKind(options), 'StartObject');
  for (const [name, value] of Object.entries(options)) {
    if (name.startsWith('@')) continue;
    if (name !== 'CanRecoverDeletedRecords' && name !== 'RunJobForSandbox') {
      throw errors.payload(
        ACTION,
        `Microsoft.OData.ODataException: The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.BulkDeleteOptions'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    if (value !== null && typeof value !== 'boolean') throw notConvertible(value, 'Edm.Boolean');
  }
}

/** StartDateTime (Edm.DateTimeOffset), or now: "If this property is not set, the start date and time are set to … Now". */
function startTime(ctx: RequestContext, value: unknown): number {
  if (value === undefined || value === null) return ctx.core.jobs.clock.now();
  if (typeof value !== 'string' || !DATE_TIME_OFFSET.test(value) || Number.isNaN(Date.parse(value))) throw notConvertible(value, 'Edm.DateTimeOffset');
  return Date.parse(value);
}

function notConvertible(value: unknown, edmType: string) {
  if (typeof value === 'object' && value !== null) return errors.unexpectedJsonNode(ACTION, jsonNodeKind(value), 'PrimitiveValue');
  return errors.valueNotConvertible(ACTION, typeof value === 'string' ? value : JSON.stringify(value), edmType);
}
