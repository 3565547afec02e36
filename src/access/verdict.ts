import { deeper, depthRank, describeDepth, shallower, type Depth } from './depth.js';
import type { AccessRight } from './verbs.js';

/**
 * The privilege verdict: given what dvas read about the people involved (their grants of one
 * privilege, their teams, a record's owner and shares), whether the operation is allowed, at which
 * depth, and who lacks what. Pure: no request, no clock, no output; `can`, the denial diagnosis and
 * `roles --effective` all call it, so they give one answer. The rules are Microsoft's:
 * - a user holds what the union of their roles grants, assigned directly or through a team, at the
 *   deepest depth (https://learn.microsoft.com/power-platform/admin/security-roles-privileges);
 * - under impersonation both the signed-in identity and the user acted as must hold the privilege,
 *   and the depth is the lesser of the two, measured from the user acted as; acting as someone
 *   needs prvActOnBehalfOfAnotherUser from a role assigned directly, not through a team
 *   (https://learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user);
 * - a record is reached by ownership (the user or a team the user belongs to owns it, at any
 *   depth), by depth (Local: the business unit, Deep: and the units below, Global: all), or by a
 *   share to the user or one of their teams that includes the right
 *   (https://learn.microsoft.com/power-platform/admin/how-record-access-determined).
 * docs/access-checks.md says where the service's own answer wins and what dvas cannot see.
 */

/** One way a principal holds the privilege: a role assigned directly, or a team's role. */
export interface Grant {
  roleId: string;
  roleName: string;
  depth: Depth;
  /** The team it comes through; undefined for a role assigned directly. */
  team?: { id: string; name: string | null };
  /** The business unit Local and Deep are measured from: the user's for a direct role, the team's for a team's. */
  businessUnitId: string | null;
}

export interface PrincipalFacts {
  id: string;
  /** "Sam Sales (sam.sales@contoso.com)", "the signed-in identity (dvas demo app)". */
  label: string;
  disabled: boolean;
  businessUnitId: string | null;
  teamIds: readonly string[];
  /** Every grant of the privilege asked about; undefined when dvas could not read this principal's roles. */
  grants: readonly Grant[] | undefined;
}

export interface Share {
  principalId: string;
  principalKind: 'systemuser' | 'team' | 'organization' | 'unknown';
  rights: readonly AccessRight[];
}

export interface RecordFacts {
  id: string;
  /** Undefined for a row with no owner (a business- or organisation-owned table). */
  owner?: { id: string; kind: 'systemuser' | 'team'; name: string | null };
  businessUnitId: string | null;
  /** Undefined when dvas could not read them. */
  shares: readonly Share[] | undefined;
}

export interface BusinessUnit {
  id: string;
  name: string | null;
  parentId: string | null;
}

export interface VerdictQuestion {
  privilege: string;
  /** The access right a share must give for this privilege's verb. */
  right: AccessRight;
  /** Organisation-owned tables know only None and Global: there is no record to reach. */
  organizationOwned: boolean;
  /** Whom the request runs as: the user acted as under --as, else the signed-in identity. */
  subject: PrincipalFacts;
  /** Under --as: the signed-in identity, and how it holds prvActOnBehalfOfAnotherUser. */
  impersonator?: { principal: PrincipalFacts; actOnBehalf: readonly Grant[] | undefined };
  record?: RecordFacts;
  businessUnits?: ReadonlyMap<string, BusinessUnit>;
  /** Team names by id, for sentences about team ownership and team shares. */
  teamNames?: ReadonlyMap<string, string>;
  /** What the service says about the subject and the record, in the subject's own right. */
  recordService?: RecordService;
}

/**
 * The service's own answers about one principal and one record: RetrievePrincipalAccess's rights
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveprincipalaccess)
 * and RetrieveAccessOrigin's sentence
 * (https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning#retrieve-access-origin).
 * Both are about the principal alone: under --as the signed-in identity's depth still caps them.
 */
export interface RecordService {
  /** Undefined when the service would not answer (the signed-in identity may not ask). */
  rights: readonly AccessRight[] | undefined;
  origin: string | null;
}

export type Holds = boolean | 'unknown';

export interface SideVerdict {
  role: 'signed-in' | 'acted-as';
  id: string;
  label: string;
  holds: Holds;
  /** The deepest depth over all grants; null when it lacks the privilege or dvas could not tell. */
  depth: Depth | null;
  /** Deepest first. */
  grants: Grant[];
}

export interface ImpersonationVerdict {
  allowed: Holds;
  sameUser: boolean;
  targetDisabled: boolean;
  /** Whether the signed-in identity holds prvActOnBehalfOfAnotherUser from a role assigned directly. */
  mayActOnBehalf: Holds;
  directRoles: string[];
  /** Roles that grant it only through a team: they do not count. */
  teamRoles: string[];
}

export type Reach =
  | { kind: 'owner' }
  | { kind: 'owning-team'; teamId: string; teamName: string | null }
  | { kind: 'depth'; depth: Exclude<Depth, 'Basic'>; businessUnitId: string | null }
  | { kind: 'share'; principalId: string; principalKind: Share['principalKind']; teamName: string | null }
  /** The service says the row is reachable in a way dvas did not find among these (hierarchy security, a parent's share…). */
  | { kind: 'service'; origin: string | null };

export interface RecordVerdict {
  reached: Holds;
  ways: Reach[];
  /** The shallowest depth that would reach the row for this subject (Basic: it owns it). */
  neededDepth: Depth | null;
  /** The service's answer, when asked: whether the subject alone has the right, and whether dvas's reasoning agrees. */
  service?: { hasRight: Holds; origin: string | null; agrees: boolean | null };
}

export interface Lack {
  id: string;
  label: string;
  privilege: string;
  /** What it holds: null when it lacks the privilege altogether. */
  holds: Depth | null;
  /** The depth it would need: null when any depth would do. */
  needs: Depth | null;
}

export interface Verdict {
  allowed: Holds;
  privilege: string;
  /** The depth that applies: the subject's, capped by the signed-in identity's under --as. */
  depth: Depth | null;
  sides: SideVerdict[];
  impersonation?: ImpersonationVerdict;
  record?: RecordVerdict;
  lacking: Lack[];
  /** The reasoning in sentences, in the order a person reads it. */
  reasons: string[];
}

export const ACT_ON_BEHALF = 'prvActOnBehalfOfAnotherUser';

export function decide(question: VerdictQuestion): Verdict {
  const { subject, impersonator, privilege } = question;
  const reasons: string[] = [];
  const lacking: Lack[] = [];
  const target = side(subject, impersonator ? 'acted-as' : 'signed-in');
  const caller = impersonator ? side(impersonator.principal, 'signed-in') : undefined;
  const sides = caller ? [caller, target] : [target];

  let impersonation: ImpersonationVerdict | undefined;
  if (impersonator) {
    impersonation = impersonationVerdict(impersonator, subject);
    reasons.push(...impersonationReasons(impersonation, impersonator.principal, subject));
    if (impersonation.mayActOnBehalf === false && !impersonation.sameUser) {
      lacking.push({ id: impersonator.principal.id, label: impersonator.principal.label, privilege: ACT_ON_BEHALF, holds: null, needs: null });
    }
  }

  for (const each of sides) {
    reasons.push(holdingSentence(each, privilege));
    if (each.holds === false) lacking.push({ id: each.id, label: each.label, privilege, holds: null, needs: null });
  }

  // Under --as the lesser depth applies, measured from the user acted as.
  const cap = caller && !impersonation?.sameUser ? caller.depth : null;
  const bothHold: Holds = and(target.holds, caller && !impersonation?.sameUser ? caller.holds : true);
  const depth = bothHold === true && target.depth ? (cap ? shallower(target.depth, cap) : target.depth) : null;
  if (caller && !impersonation?.sameUser && bothHold === true && target.depth && cap && depthRank(cap) < depthRank(target.depth)) {
    reasons.push(`Under --as the lesser depth applies: ${describeDepth(depth as Depth)}.`);
  }

  let record: RecordVerdict | undefined;
  if (question.record && !question.organizationOwned) {
    record = recordVerdict(question, bothHold, cap);
    reasons.push(...recordReasons(question, record, depth));
    if (record.reached === false && bothHold === true && record.neededDepth) {
      const needs = record.neededDepth;
      for (const each of caller && !impersonation?.sameUser ? [caller, target] : [target]) {
        if (each.depth && depthRank(each.depth) < depthRank(needs)) lacking.push({ id: each.id, label: each.label, privilege, holds: each.depth, needs });
      }
    }
  }

  const impersonationAllowed = impersonation ? impersonation.allowed : true;
  const allowed = and(and(impersonationAllowed, bothHold), record ? record.reached : true);
  return { allowed, privilege, depth, sides, ...(impersonation ? { impersonation } : {}), ...(record ? { record } : {}), lacking, reasons };
}

function side(principal: PrincipalFacts, role: SideVerdict['role']): SideVerdict {
  if (!principal.grants) return { role, id: principal.id, label: principal.label, holds: 'unknown', depth: null, grants: [] };
  const grants = [...principal.grants].sort((a, b) => depthRank(b.depth) - depthRank(a.depth) || a.roleName.localeCompare(b.roleName));
  const depth = grants.reduce<Depth | null>((widest, grant) => (widest ? deeper(widest, grant.depth) : grant.depth), null);
  return { role, id: principal.id, label: principal.label, holds: grants.length > 0, depth, grants };
}

function impersonationVerdict(impersonator: NonNullable<VerdictQuestion['impersonator']>, subject: PrincipalFacts): ImpersonationVerdict {
  const sameUser = impersonator.principal.id === subject.id;
  const grants = impersonator.actOnBehalf;
  const directRoles = unique((grants ?? []).filter((grant) => !grant.team).map((grant) => grant.roleName));
  const teamRoles = unique((grants ?? []).filter((grant) => grant.team).map((grant) => grant.roleName));
  const mayActOnBehalf: Holds = grants === undefined ? 'unknown' : directRoles.length > 0;
  // A target equal to the caller is no impersonation at all: nothing to hold, nobody else to check.
  const allowed: Holds = sameUser ? true : subject.disabled ? false : mayActOnBehalf;
  return { allowed, sameUser, targetDisabled: subject.disabled, mayActOnBehalf, directRoles, teamRoles };
}

function impersonationReasons(verdict: ImpersonationVerdict, caller: PrincipalFacts, subject: PrincipalFacts): string[] {
  if (verdict.sameUser) return [`${capital(subject.label)} is the signed-in identity itself: Dataverse runs the request without impersonation.`];
  const reasons: string[] = [];
  if (verdict.mayActOnBehalf === true) {
    reasons.push(`${capital(caller.label)} may act on behalf of another user: ${ACT_ON_BEHALF} through ${list(verdict.directRoles)}, assigned directly.`);
  } else if (verdict.mayActOnBehalf === false && verdict.teamRoles.length > 0) {
    reasons.push(
      `${capital(caller.label)} holds ${ACT_ON_BEHALF} only through a team (${list(verdict.teamRoles)}), which does not count: it may not act on behalf of another user.`,
    );
  } else if (verdict.mayActOnBehalf === false) {
    reasons.push(`${capital(caller.label)} may not act on behalf of another user: it lacks ${ACT_ON_BEHALF}.`);
  } else {
    reasons.push(`dvas could not read whether ${caller.label} holds ${ACT_ON_BEHALF} from a role assigned directly.`);
  }
  if (verdict.targetDisabled) reasons.push(`${capital(subject.label)} is disabled: no request can run as a disabled user.`);
  return reasons;
}

function holdingSentence(verdict: SideVerdict, privilege: string): string {
  if (verdict.holds === 'unknown') return `dvas could not read the roles of ${verdict.label}.`;
  if (verdict.holds === false) return `${capital(verdict.label)} lacks ${privilege}.`;
  const sources = verdict.grants.map((grant) => `${grant.roleName}${grant.team ? ` through team ${grant.team.name ?? grant.team.id}` : ''} (${grant.depth})`);
  return `${capital(verdict.label)} holds ${privilege} at ${describeDepth(verdict.depth as Depth)} depth, from ${list(unique(sources))}.`;
}

/** Whether the subject's grants (capped under --as) reach the row, and every way they do. */
function recordVerdict(question: VerdictQuestion, holds: Holds, cap: Depth | null): RecordVerdict {
  const { subject, record, right } = question;
  const facts = record as RecordFacts;
  const grants = (subject.grants ?? []).map((grant) => ({ ...grant, depth: cap ? shallower(grant.depth, cap) : grant.depth }));
  const ways: Reach[] = [];
  const teams = new Set(subject.teamIds);
  if (holds === true) {
    if (facts.owner?.id === subject.id) ways.push({ kind: 'owner' });
    else if (facts.owner && teams.has(facts.owner.id)) ways.push({ kind: 'owning-team', teamId: facts.owner.id, teamName: facts.owner.name });
    for (const grant of grants) {
      const way = depthReach(grant, facts, question.businessUnits);
      if (way && !ways.some((known) => known.kind === 'depth' && way.kind === 'depth' && known.depth === way.depth)) ways.push(way);
    }
    for (const share of facts.shares ?? []) {
      if (!share.rights.includes(right)) continue;
      if (share.principalId === subject.id || teams.has(share.principalId)) {
        const teamName = share.principalId === subject.id ? null : (question.teamNames?.get(share.principalId) ?? null);
        ways.push({ kind: 'share', principalId: share.principalId, principalKind: share.principalKind, teamName });
      }
    }
  }
  const neededDepth = neededDepthFor(subject, grants, facts, question.businessUnits);
  let reached: Holds = ways.length > 0;
  // Without the shares or the business units, a "no" may be a "don't know".
  if (!reached && holds === true && (facts.shares === undefined || (facts.businessUnitId && !question.businessUnits))) reached = 'unknown';
  if (holds !== true) reached = holds === false ? false : 'unknown';
  const asked = question.recordService;
  if (!asked) return { reached, ways, neededDepth };
  return reconcile({ reached, ways, neededDepth }, asked, right, holds, capLowers(subject, cap));
}

/**
 * The service has the last word on what the subject reaches in its own right; dvas's reasoning
 * says how. Under --as with a lower cap, the service's "yes" (about the subject alone) still needs
 * one of dvas's ways at the capped depth.
 */
function reconcile(verdict: RecordVerdict, asked: RecordService, right: AccessRight, holds: Holds, capped: boolean): RecordVerdict {
  const hasRight: Holds = asked.rights === undefined ? 'unknown' : asked.rights.includes(right);
  if (hasRight === 'unknown') return { ...verdict, service: { hasRight, origin: asked.origin, agrees: null } };
  const agrees = capped || holds !== true ? null : (verdict.reached === true) === hasRight;
  const service = { hasRight, origin: asked.origin, agrees };
  if (holds !== true) return { ...verdict, service };
  if (hasRight === false) return { ...verdict, reached: false, ways: [], service };
  if (capped) return { ...verdict, service };
  const ways: Reach[] = verdict.ways.length > 0 ? verdict.ways : [{ kind: 'service', origin: asked.origin }];
  return { ...verdict, reached: true, ways, service };
}

/** Whether the signed-in identity's depth is below the subject's, so that the service's answer about the subject alone may not hold. */
function capLowers(subject: PrincipalFacts, cap: Depth | null): boolean {
  if (!cap || !subject.grants || subject.grants.length === 0) return false;
  const widest = subject.grants.reduce<Depth>((depth, grant) => deeper(depth, grant.depth), 'Basic');
  return depthRank(cap) < depthRank(widest);
}

function depthReach(grant: Grant, record: RecordFacts, units: ReadonlyMap<string, BusinessUnit> | undefined): Reach | undefined {
  if (grant.depth === 'Global') return { kind: 'depth', depth: 'Global', businessUnitId: null };
  if (!record.businessUnitId || !grant.businessUnitId) return undefined;
  if (grant.depth === 'Local' && record.businessUnitId === grant.businessUnitId) return { kind: 'depth', depth: 'Local', businessUnitId: grant.businessUnitId };
  if (grant.depth === 'Deep' && units && isWithin(record.businessUnitId, grant.businessUnitId, units)) {
    return { kind: 'depth', depth: 'Deep', businessUnitId: grant.businessUnitId };
  }
  return undefined;
}

/** The shallowest depth that would reach the row from any of the subject's frames (its own business unit, its teams'). */
function neededDepthFor(subject: PrincipalFacts, grants: readonly Grant[], record: RecordFacts, units: ReadonlyMap<string, BusinessUnit> | undefined): Depth | null {
  if (record.owner && (record.owner.id === subject.id || subject.teamIds.includes(record.owner.id))) return 'Basic';
  const frames = unique([subject.businessUnitId, ...grants.map((grant) => grant.businessUnitId)].filter((id): id is string => id !== null));
  if (!record.businessUnitId) return null;
  let needed: Depth = 'Global';
  for (const frame of frames) {
    if (frame === record.businessUnitId) return 'Local';
    if (units && isWithin(record.businessUnitId, frame, units)) needed = 'Deep';
  }
  return needed;
}

/** Whether `unit` is `ancestor` or below it. */
export function isWithin(unit: string, ancestor: string, units: ReadonlyMap<string, BusinessUnit>): boolean {
  const seen = new Set<string>();
  for (let current: string | null | undefined = unit; current && !seen.has(current); current = units.get(current)?.parentId) {
    if (current === ancestor) return true;
    seen.add(current);
  }
  return false;
}

function recordReasons(question: VerdictQuestion, verdict: RecordVerdict, depth: Depth | null): string[] {
  return [...reachReasons(question, verdict, depth), ...serviceReasons(question, verdict)];
}

/** What RetrievePrincipalAccess answered, and where dvas's own reasoning differs from it. */
function serviceReasons(question: VerdictQuestion, verdict: RecordVerdict): string[] {
  const service = verdict.service;
  if (!service) return [];
  const who = question.subject.label;
  if (service.hasRight === 'unknown') return ['The service did not answer RetrievePrincipalAccess to the signed-in identity: dvas reasoned from roles, teams and shares alone.'];
  const reasons = [
    `RetrievePrincipalAccess: ${who} ${service.hasRight ? 'has' : 'does not have'} ${question.right} on the row in their own right` +
      `${service.origin ? `; RetrieveAccessOrigin: "${service.origin}"` : ''}.`,
  ];
  if (service.agrees === false) {
    reasons.push(`dvas's reading of roles, teams and shares ${service.hasRight ? 'found no way to the row' : 'found a way to the row'}; the service's answer stands.`);
  }
  return reasons;
}

function reachReasons(question: VerdictQuestion, verdict: RecordVerdict, depth: Depth | null): string[] {
  const record = question.record as RecordFacts;
  const who = question.subject.label;
  const unitName = (id: string | null) => (id ? (question.businessUnits?.get(id)?.name ?? id) : 'no business unit');
  const owner = record.owner ? `owned by ${record.owner.name ?? record.owner.id}, in ${unitName(record.businessUnitId)}` : `in ${unitName(record.businessUnitId)}`;
  if (verdict.reached === true) {
    return [`The row (${owner}) is reachable for ${who}: ${verdict.ways.map((way) => describeReach(way, question)).join('; ')}.`];
  }
  if (verdict.reached === 'unknown') return [`dvas could not tell whether the row (${owner}) is reachable for ${who}.`];
  if (!depth) return [];
  const needed = verdict.neededDepth;
  const shares = record.shares && record.shares.length > 0 ? 'none of its shares gives this right to them or their teams' : 'it is shared with nobody';
  return [
    `The row (${owner}) is out of reach for ${who}: ${describeDepth(depth)} depth does not reach it` +
      `${needed && needed !== 'Basic' ? ` (it would need ${describeDepth(needed)})` : ''}, they do not own it, and ${shares}.`,
  ];
}

export function describeReach(way: Reach, question: Pick<VerdictQuestion, 'businessUnits'>): string {
  switch (way.kind) {
    case 'owner':
      return 'they own it';
    case 'owning-team':
      return `their team ${way.teamName ?? way.teamId} owns it`;
    case 'depth':
      if (way.depth === 'Global') return 'Global (Organization) depth reaches every row';
      return `${describeDepth(way.depth)} depth from ${(way.businessUnitId && question.businessUnits?.get(way.businessUnitId)?.name) ?? way.businessUnitId ?? 'their business unit'}`;
    case 'share':
      return way.teamName ? `it is shared with their team ${way.teamName}` : 'it is shared with them';
    case 'service':
      return `the service says so${way.origin ? ` (RetrieveAccessOrigin: "${way.origin}")` : ''}`;
  }
}

function and(a: Holds, b: Holds): Holds {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
