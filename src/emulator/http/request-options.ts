import type { RequestContext } from './context.js';
import { errors } from './errors.js';
import { privilegeDeniedMessage } from '../security/denied-message.js';
import { ownPrincipal } from '../security/model.js';

/**
 * The request headers and URL parameters Microsoft documents for changing how one request behaves
 * (https://learn.microsoft.com/power-apps/developer/data-platform/optional-parameters,
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#other-headers),
 * and the Prefer preferences, checked before the request is routed. Each is carried out
 * elsewhere, accepted because it cannot change what an emulator without plug-ins, flows,
 * solutions or caches answers, or refused: never ignored while the service would act on it.
 * docs/emulator-decisions.md ("Headers, preferences and optional parameters") gives the reasons.
 */
export function checkRequestOptions(ctx: RequestContext): void {
  const { headers } = ctx.request;
  const { prefer } = ctx;

  if (prefer.invalidMaxPageSize !== undefined) {
    throw errors.badQuery(`The odata.maxpagesize preference must be a positive whole number, not '${prefer.invalidMaxPageSize}'.`);
  }
  // Change tracking answers with a delta link and later only what changed: nothing like that is kept.
  if (prefer.trackChanges && ctx.method === 'GET') throw errors.notEmulated('the preference odata.track-changes (change tracking)');

  if (headers['mscrm.solutionuniquename'] !== undefined) {
    throw errors.notEmulated('the MSCRM.SolutionUniqueName header (the emulator has no solutions to add components to)');
  }
  const suppressDuplicates = booleanHeader(headers, 'MSCRM.SuppressDuplicateDetection');
  // Detection is off unless asked for: `true` is what every request already gets.
  if (suppressDuplicates === false) throw errors.notEmulated('duplicate detection (MSCRM.SuppressDuplicateDetection: false)');

  if (booleanHeader(headers, 'MSCRM.BypassCustomPluginExecution')) requireCallerPrivilege(ctx, 'prvBypassCustomPlugins');
  const bypassLogic = headers['mscrm.bypassbusinesslogicexecution'];
  if (bypassLogic !== undefined) {
    const kinds = bypassLogic.split(',').map((kind) => kind.trim());
    const unknown = kinds.find((kind) => kind !== 'CustomSync' && kind !== 'CustomAsync');
    if (unknown !== undefined) {
      throw errors.invalidArgument(`MSCRM.BypassBusinessLogicExecution takes CustomSync, CustomAsync or both, comma-separated; '${unknown}' is neither.`);
    }
    requireCallerPrivilege(ctx, 'prvBypassCustomBusinessLogic');
  }
  if (headers['mscrm.bypassbusinesslogicexecutionstepids'] !== undefined) {
    throw errors.notEmulated('the MSCRM.BypassBusinessLogicExecutionStepIds header (the emulator has no plug-in steps to name)');
  }
  booleanHeader(headers, 'MSCRM.SuppressCallbackRegistrationExpanderJob');

  // Elastic tables: the emulator has none, so a partition or session token names nothing it keeps.
  if (ctx.query.has('partitionId') || ctx.query.has('partitionid')) throw errors.notEmulated("the 'partitionId' parameter (elastic tables)");
  if (headers['mscrm.sessiontoken'] !== undefined) throw errors.notEmulated('the MSCRM.SessionToken header (elastic tables)');
}

/** A documented true/false header: undefined when absent; anything else than true or false is a 400. */
function booleanHeader(headers: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw errors.invalidArgument(`The ${name} header takes true or false, not '${value}'.`);
}

/**
 * Bypassing custom logic takes a privilege of the calling user (bypass-custom-business-logic: "The
 * calling user must have the … privilege"): the token's user, whoever it impersonates. The
 * emulator runs no custom logic, so once the privilege is held there is nothing to bypass.
 */
function requireCallerPrivilege(ctx: RequestContext, privilege: string): void {
  const { security } = ctx.core;
  const caller = ownPrincipal(ctx.principal.caller);
  if (security.holdsPrivilege(caller, privilege)) return;
  throw errors.privilegeDenied(privilegeDeniedMessage(security, ctx.principal.caller, privilege, ctx.core.metadata.require('systemuser')));
}
