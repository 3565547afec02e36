import type { DataverseClient } from '../dataverse/client.js';
import { DryRunStop } from '../dataverse/dry-run.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { ErrorCode, GUID_PATTERN, isErrorCode } from '../dataverse/facts.js';
import { parseRecordKey, type RecordKey } from '../dataverse/record-key.js';
import { recordPath } from '../dataverse/odata.js';
import type { CliError } from '../errors.js';
import { namePlaceholders } from '../impersonation/placeholders.js';
import type { AsUser } from '../options/as-user.js';
import { findUser } from '../users/find-user.js';
import { describeUser, toUserRecord, USER_SELECT, type UserRecord } from '../users/user-record.js';
import { askVerdict, type AskedVerdict } from './ask-verdict.js';
import { parseCannotActOnBehalf, parsePrivilegeDenied, privilegeParts, type PrivilegeDeniedMessage } from './denial-message.js';
import { describeDepth, shallower, type Depth } from './depth.js';
import type { DiagnosedPrincipal, Diagnosis, DiagnosisFound } from './diagnosis.js';
import { grantsOf, readTableSecurity, readUsersWithRoles, roleIdsOf, RolePrivileges, rolesGranting, rolesWith, type TableSecurity } from './facts.js';
import { signedInLabel } from './signed-in-label.js';
import { userPrivilege, type PrivilegeHolding } from './user-privilege.js';
import { ACT_ON_BEHALF, type Grant, type Lack, type SideVerdict } from './verdict.js';
import type { Verb } from './verbs.js';

/** What the diagnosis needs from the run: the signed-in identity's client (the one the command used) and --as. */
export interface DenialRun {
  dataverse(): Promise<DataverseClient>;
  options: { as: AsUser | undefined; diagnose: boolean };
}

export interface DenialDiagnosis {
  diagnosis: Diagnosis;
  /** The service's message with its unfilled {0}/{1} named, when it had any. */
  message?: string;
  /** A hint for the one who lacks the privilege, once dvas knows who (replaces the general one). */
  hint?: string;
}

/**
 * The diagnosis of a privilege denial, for any command (main's error path calls it): who really
 * lacks which privilege at which depth, why the row is out of reach, and which roles grant it,
 * from what the Web API says as the signed-in identity (src/access/ask-verdict.ts, verdict.ts).
 * It never fails: when its own requests fail, the answer is `unavailable` with the reason, and the
 * original error stands as it was. Requests: WhoAmI and the table's privileges; the --as user when
 * the failed request named it by Entra object id; then what askVerdict reads (the roles that grant
 * the privilege among it). Without prvReadRole: each user's own holding instead. Against the demo
 * organisation that is 7 to 13 requests, all after the refused one, all GETs marked as lookups.
 */
export async function diagnoseDenial(error: CliError, run: DenialRun): Promise<DenialDiagnosis | undefined> {
  // Only what Dataverse answered is diagnosed: dvas's own refusals say all there is to say.
  const denied = error instanceof DataverseApiError ? error : error.cause instanceof DataverseApiError ? error.cause : undefined;
  if (!denied) return undefined;
  if (!run.options.diagnose) return { diagnosis: { status: 'skipped', reason: 'dvas was asked not to diagnose (--no-diagnose).' } };
  try {
    // The diagnosis only reads, and each read is marked a lookup: under --dry-run they are sent
    // for real (announced like any lookup), so a dry run that meets a denial explains it as a
    // real run would, instead of printing the diagnosis's first read as if it were the operation.
    const client = (await run.dataverse()).lookups();
    if (isErrorCode(denied.code, ErrorCode.CannotActOnBehalfOfAnotherUser)) return await diagnoseActOnBehalf(denied, client, run);
    return await diagnosePrivilegeDenied(denied, client);
  } catch (failure) {
    // A dry run that already printed its request (a parallel branch got there first) sends nothing more.
    if (failure instanceof DryRunStop) return { diagnosis: { status: 'skipped', reason: 'dvas --dry-run printed the request it would send and stopped there, before the reads of a diagnosis.' } };
    return unavailable(whyNot(failure));
  }
}

function unavailable(reason: string): DenialDiagnosis {
  return { diagnosis: { status: 'unavailable', reason: `dvas could not diagnose this denial: ${reason}` } };
}

/** One sentence for a diagnosis request that failed: what it lacked, or what the service answered. */
function whyNot(failure: unknown): string {
  if (failure instanceof DataverseApiError) {
    const missing = failure.status === 403 ? parsePrivilegeDenied(failure.serviceMessage)?.privilege : undefined;
    if (missing) return `the signed-in identity may not read what the diagnosis needs (it lacks ${missing}).`;
    return `Dataverse answered ${failure.status}${failure.code ? ` (${failure.code})` : ''} to ${failure.exchange.method} ${pathOf(failure.exchange.url)}.`;
  }
  const text = failure instanceof Error ? failure.message : String(failure);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\/api\/data\/v\d+\.\d+\//, '');
  } catch {
    return url;
  }
}

/** The impersonation header the failed request carried (dvas's --as), from the exchange the error kept. */
function actedAs(error: DataverseApiError): { header: 'CallerObjectId' | 'MSCRMCallerID'; value: string } | undefined {
  for (const [name, value] of error.exchange.requestHeaders) {
    const header = name.toLowerCase() === 'callerobjectid' ? 'CallerObjectId' : name.toLowerCase() === 'mscrmcallerid' ? 'MSCRMCallerID' : undefined;
    if (header && GUID_PATTERN.test(value.trim())) return { header, value: value.trim().toLowerCase() };
  }
  return undefined;
}

/** The systemuserid of the user acted as: the header's own under MSCRMCallerID, else looked up (or the one the message names). */
async function actedAsUserId(error: DataverseApiError, client: DataverseClient, parsed: PrivilegeDeniedMessage, callerId: string): Promise<string | undefined> {
  const header = actedAs(error);
  if (!header) return undefined;
  if (header.header === 'MSCRMCallerID') return header.value;
  if (parsed.principal?.kind === 'user' && parsed.aadObjectId === header.value) return parsed.principal.id;
  const lookup = await findUser({ kind: 'object-id', id: header.value, raw: header.value }, client);
  if (lookup.user) return lookup.user.systemuserid;
  // The identity may not read users: under impersonation the message names the user acted as.
  return parsed.principal?.kind === 'user' && parsed.principal.id !== callerId ? parsed.principal.id : undefined;
}

/** `accounts(<key>)`: the last segment of a request addressing one row. */
const ADDRESSED_ROW = /^([A-Za-z_]\w*)\((.+)\)$/;

/** The row the failed request addressed (`accounts(<guid>)`, `accounts(accountnumber='A-1')`), when it is of the table the privilege is about. */
function addressedRow(error: DataverseApiError, table: TableSecurity, verb: Verb): RecordKey | undefined {
  const addressed = rowOf(pathOf(error.exchange.url), table);
  if (addressed || verb !== 'appendto') return addressed;
  // AppendTo is about the row the body binds to (a contact's parent account): when exactly one is of this table.
  const bound = (error.exchange.bindings ?? []).map((path) => rowOf(path.replace(/^.*\/(?=[A-Za-z_]\w*\()/, ''), table)).filter((key) => key !== undefined);
  return bound.length === 1 ? bound[0] : undefined;
}

function rowOf(segment: string, table: TableSecurity): RecordKey | undefined {
  const match = ADDRESSED_ROW.exec(segment);
  if (!match || match[1] !== table.entitySetName) return undefined;
  try {
    return parseRecordKey(decodeURIComponent(match[2] as string));
  } catch {
    // Not a key dvas reads (a function call, a navigation): no row to reason about.
    return undefined;
  }
}

async function diagnosePrivilegeDenied(error: DataverseApiError, client: DataverseClient): Promise<DenialDiagnosis> {
  const parsed = parsePrivilegeDenied(error.serviceMessage);
  const privilege = parsed?.privilege;
  if (!parsed || !privilege) return unavailable('the message names no privilege (docs/dataverse-errors.md lists the wordings dvas reads).');
  const parts = privilegeParts(privilege);
  if (!parts) return unavailable(`${privilege} is no table's privilege, and dvas diagnoses table privileges only.`);
  const [me, table] = await Promise.all([client.whoAmI(), readTableSecurity(client, parsed.entity ?? parts.table.toLowerCase())]);
  const callerId = me.UserId.toLowerCase();
  const targetId = await actedAsUserId(error, client, parsed, callerId);
  const record = addressedRow(error, table, parts.verb);
  const input = { verb: parts.verb, table, callerId, ...(targetId ? { targetId } : {}) };
  const impersonating = targetId !== undefined && targetId !== callerId;
  const base = {
    status: 'diagnosed' as const,
    kind: 'privilege-denied' as const,
    privilege,
    impersonating,
    message: { template: parsed.template, principal: parsed.principal ? { kind: parsed.principal.kind, id: parsed.principal.id } : null, entity: parsed.entity ?? null },
  };
  // The check can be on someone else: a row's new owner (the owner check), a team.
  const principal = parsed.principal;
  if (principal && principal.id !== callerId && principal.id !== targetId) {
    return diagnoseOtherPrincipal(client, { principal, privilege, ownerCheck: parsed.ownerCheck, callerId, targetId, base });
  }
  // The row may be out of the signed-in identity's reach too: then the rest is still worth saying.
  const asked = record ? await askVerdict(client, { ...input, record }).catch(refusedOr(() => askVerdict(client, input))) : await askVerdict(client, input);
  // Reading roles needs prvReadRole, which many users lack: then dvas asks each user's own privileges.
  const granting = asked.granting;
  if (!granting || asked.verdict.sides.every((side) => side.holds === 'unknown')) {
    return fromOwnPrivileges(client, { privilege, callerId, targetId, impersonating, named: parsed.principal?.id, base, row: rowText(table, record) });
  }
  const verdict = asked.verdict;
  const principals = verdict.sides.map(principalOf);
  const grantingRoles = [...new Set(granting.map((role) => role.name))];
  const named = parsed.principal ? principals.find((side) => side.id === parsed.principal?.id) : undefined;
  const said = new Set(verdict.lacking.map((lack) => `${capital(lack.label)} lacks ${lack.privilege}.`));
  const lines = [
    headline({ sides: verdict.sides, lacking: verdict.lacking, depth: verdict.depth }, privilege, impersonating, named, rowText(table, record)),
    // The headline already said who lacks it, and acting on behalf worked, or this would be 0x8004A110.
    ...verdict.reasons.filter((reason) => !said.has(reason) && !(reason.includes(ACT_ON_BEHALF) && verdict.impersonation?.mayActOnBehalf === true)),
    ...(record && !asked.record ? ['dvas could not read the row the request addressed, so it cannot say why it is out of reach.'] : []),
    grantingRoles.length > 0 ? `Roles that grant ${privilege}: ${grantingRoles.join(', ')}.` : `No role of the organisation grants ${privilege}.`,
  ];
  const diagnosis: DiagnosisFound = {
    ...base,
    lacking: verdict.lacking.map(({ id, label, privilege: lacked, holds, needs }) => ({ id, label, privilege: lacked, holds, needs })),
    principals,
    record: recordOf(asked, table),
    grantingRoles,
    lines,
  };
  return { diagnosis, ...hintFor(verdict.lacking.filter((lack) => lack.privilege === privilege), privilege, grantingRoles) };
}

/**
 * The message names a principal that is neither the signed-in identity nor the user acted as: the
 * new owner of a row (`Read Privilege Check For Owner failed`: an owner must hold the table's
 * privileges), or a team. That principal lacks the privilege; dvas names it, reads its holding
 * when it may, and lists the roles that grant it.
 */
async function diagnoseOtherPrincipal(
  client: DataverseClient,
  question: {
    principal: NonNullable<PrivilegeDeniedMessage['principal']>;
    privilege: string;
    ownerCheck: boolean;
    callerId: string;
    targetId: string | undefined;
    base: Pick<DiagnosisFound, 'status' | 'kind' | 'privilege' | 'impersonating' | 'message'>;
  },
): Promise<DenialDiagnosis> {
  const { principal, privilege } = question;
  const [granting, name, holding, me] = await Promise.all([
    refusedAsUndefined(rolesGranting(client, [privilege])),
    principal.kind === 'team' ? teamName(client, principal.id) : userOf(client, principal.id).then((found) => (found ? describeUser(found) : undefined)),
    principal.kind === 'user' ? userPrivilege(client, principal.id, privilege) : Promise.resolve<PrivilegeHolding>({ holds: 'unknown' }),
    userOf(client, question.callerId),
  ]);
  const label = principal.kind === 'team' ? `the team ${name ?? principal.id}` : (name ?? principal.id);
  const ran = question.targetId && question.targetId !== question.callerId ? 'the user acted as' : await signedInLabel(client, me, question.callerId);
  const why = question.ownerCheck ? `, the row's new owner, not ${ran}: an owner must hold it too` : `, not ${ran}`;
  const state =
    holding.holds === true
      ? `${label} holds ${privilege}${holding.depth ? ` at ${describeDepth(holding.depth)} depth` : ''}, not at a depth that reaches the row`
      : `${label} lacks ${privilege}`;
  const grantingRoles = granting ? rolesWith(granting, privilege).map((role) => role.name) : [];
  const lines = [
    `Dataverse's check was on ${label}${why}; ${state}.`,
    granting
      ? `Roles that grant ${privilege}: ${grantingRoles.join(', ') || 'none'}.`
      : 'The signed-in identity may not read security roles (prvReadRole), so dvas cannot say which roles would grant it.',
  ];
  const lack: Lack = { id: principal.id, label, privilege, holds: holding.holds === true ? (holding.depth ?? null) : null, needs: null };
  const diagnosis: DiagnosisFound = { ...question.base, lacking: [lack], principals: [], record: null, grantingRoles, lines };
  return { diagnosis, ...hintFor([lack], privilege, grantingRoles) };
}

async function teamName(client: DataverseClient, teamId: string): Promise<string | undefined> {
  try {
    const row = await client.retrieve('teams', teamId, { select: ['name'] });
    return typeof row.name === 'string' ? row.name : undefined;
  } catch (error) {
    if (error instanceof DataverseApiError) return undefined;
    throw error;
  }
}

/** What to do about it, for the one who lacks it: instead of the general hint, once dvas knows who. */
function hintFor(lacking: readonly Lack[], privilege: string, grantingRoles: readonly string[]): { hint?: string } {
  const [lack] = lacking;
  if (!lack || lacking.length > 1) return {};
  const roles = grantingRoles.length > 0 ? ` (${grantingRoles.join(', ')})` : '';
  if (lack.needs) {
    return { hint: `Give ${lack.label} ${privilege} at ${describeDepth(lack.needs)} depth through a role${roles}, or share the row with them.` };
  }
  return { hint: `Assign ${lack.label} a security role that grants ${privilege}${roles}; dvas roles <user> lists a user's roles.` };
}

/** `accounts(<id>)` for sentences about the row the failed request addressed. */
function rowText(table: TableSecurity, record: RecordKey | undefined): string | undefined {
  return record ? recordPath(table.entitySetName, record) : undefined;
}

function recordOf(asked: AskedVerdict, table: TableSecurity): DiagnosisFound['record'] {
  if (!asked.record) return null;
  const { record } = asked;
  return {
    table: table.logicalName,
    id: record.id,
    name: record.name,
    owner: record.owner ?? null,
    reached: asked.verdict.record?.reached ?? 'unknown',
    neededDepth: asked.verdict.record?.neededDepth ?? null,
  };
}

/** When Dataverse refused or has no such row, the other way; anything else is a failure of the diagnosis. */
function refusedOr<T>(otherwise: () => Promise<T>): (error: unknown) => Promise<T> {
  return (error) => {
    if (error instanceof DataverseApiError && (error.status === 403 || error.status === 404)) return otherwise();
    throw error;
  };
}

/** A refusal (403) of a request the diagnosis can do without. */
async function refusedAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 403) return undefined;
    throw error;
  }
}

/**
 * When the signed-in identity may not read roles: each user's own holding of the privilege
 * (RetrieveUserPrivilegeByPrivilegeName, which a user may always ask about themselves; the user
 * acted as is asked as itself when the signed-in identity may not read it). Who lacks what and at
 * which depth still follow; through which role, and which roles would grant it, do not.
 */
async function fromOwnPrivileges(
  client: DataverseClient,
  question: {
    privilege: string;
    callerId: string;
    targetId: string | undefined;
    impersonating: boolean;
    named: string | undefined;
    row: string | undefined;
    base: Pick<DiagnosisFound, 'status' | 'kind' | 'privilege' | 'impersonating' | 'message'>;
  },
): Promise<DenialDiagnosis> {
  const { privilege, callerId, targetId, impersonating } = question;
  const asTarget = targetId ? client.actingAs({ kind: 'systemuserid', systemUserId: targetId }) : undefined;
  const [callerHolding, callerUser, targetHolding, targetUser] = await Promise.all([
    userPrivilege(client, callerId, privilege),
    userOf(client, callerId),
    targetId && impersonating ? holdingOf(client, asTarget, targetId, privilege) : undefined,
    targetId && impersonating ? userOf(client, targetId, asTarget) : undefined,
  ]);
  const sides: SideVerdict[] = [ownSide('signed-in', callerId, await signedInLabel(client, callerUser, callerId), callerHolding)];
  if (targetId && impersonating && targetHolding) sides.push(ownSide('acted-as', targetId, targetUser ? describeUser(targetUser) : targetId, targetHolding));
  if (sides.every((side) => side.holds === 'unknown')) return unavailable(`the signed-in identity may not read the privileges of the users involved.`);
  const lacking: Lack[] = sides.filter((side) => side.holds === false).map((side) => ({ id: side.id, label: side.label, privilege, holds: null, needs: null }));
  const held = sides.filter((side) => side.holds === true && side.depth).map((side) => side.depth as Depth);
  // Under --as the lesser of the two depths applies.
  const depth = held.length === sides.length ? held.reduce((lesser, each) => shallower(lesser, each)) : null;
  const principals = sides.map(principalOf);
  const named = question.named ? principals.find((side) => side.id === question.named) : undefined;
  const lines = [
    headline({ sides, lacking, depth }, privilege, impersonating, named, question.row),
    ...(depth === 'Basic' && lacking.length === 0
      ? ['Basic (User) depth reaches only the rows the user or one of their teams owns, and the rows shared with them.']
      : []),
    'The signed-in identity may not read security roles (prvReadRole), so dvas cannot say through which role each holds it, nor which roles would grant it.',
  ];
  return { diagnosis: { ...question.base, lacking, principals, record: null, grantingRoles: [], lines } };
}

/** The user acted as, asked by the signed-in identity, else as itself. */
async function holdingOf(client: DataverseClient, asTarget: DataverseClient | undefined, userId: string, privilege: string): Promise<PrivilegeHolding> {
  const asked = await userPrivilege(client, userId, privilege);
  return asked.holds === 'unknown' && asTarget ? userPrivilege(asTarget, userId, privilege) : asked;
}

/** A user's row, when the signed-in identity (or the user itself) may read it. */
async function userOf(client: DataverseClient, userId: string, asUser?: DataverseClient): Promise<UserRecord | undefined> {
  for (const reader of asUser ? [client, asUser] : [client]) {
    try {
      const user = toUserRecord(await reader.retrieve('systemusers', userId, { select: USER_SELECT }));
      if (user) return user;
    } catch (error) {
      if (!(error instanceof DataverseApiError)) throw error;
    }
  }
  return undefined;
}

function ownSide(role: SideVerdict['role'], id: string, label: string, holding: PrivilegeHolding): SideVerdict {
  if (holding.holds === true) return { role, id, label, holds: true, depth: holding.depth ?? null, grants: [] };
  return { role, id, label, holds: holding.holds, depth: null, grants: [] };
}

/** The answer in one sentence: who really lacks what, whichever principal the service's message names. */
function headline(
  verdict: { sides: readonly SideVerdict[]; lacking: readonly Lack[]; depth: Depth | null },
  privilege: string,
  impersonating: boolean,
  named: DiagnosedPrincipal | undefined,
  row = 'the row the request touches',
): string {
  const lacking = verdict.lacking.filter((lack) => lack.privilege === privilege);
  const sides = verdict.sides;
  const holder = (side: SideVerdict) => `${side.label} holds it${side.depth ? ` at ${describeDepth(side.depth)} depth` : ''}${through(side.grants)}`;
  const outright = lacking.filter((lack) => lack.holds === null);
  if (outright.length > 1) return `Both ${list(outright.map((lack) => lack.label))} lack ${privilege}.`;
  const [lack] = outright;
  if (lack) {
    const others = sides.filter((side) => side.id !== lack.id && side.holds === true);
    const quirk = named && named.id !== lack.id ? `, not ${named.label}, whom Dataverse's message names` : '';
    const rest = others.length > 0 ? `; ${others.map(holder).join('; ')}` : '';
    return `${capital(lack.label)} lacks ${privilege}${quirk}${rest}.`;
  }
  const deeper = lacking.filter((lack) => lack.needs !== null);
  if (deeper.length > 0) {
    return deeper.map((lack) => `${capital(lack.label)} holds ${privilege} only at ${describeDepth(lack.holds as Depth)} depth; this row needs ${describeDepth(lack.needs as Depth)}`).join('; ') + '.';
  }
  if (sides.some((side) => side.holds === 'unknown')) {
    return `dvas could not read the roles of ${list(sides.filter((side) => side.holds === 'unknown').map((side) => side.label))}, so it cannot say who lacks ${privilege}.`;
  }
  // Both hold it and no row was read: the depth that applies does not reach the row the request touched.
  const depth = verdict.depth ? describeDepth(verdict.depth) : 'their';
  const who = impersonating ? `Both ${list(sides.map((side) => side.label))} hold ${privilege}` : `${capital(sides[0]?.label ?? 'The signed-in identity')} holds ${privilege}`;
  return `${who}, but ${depth} depth${impersonating ? ' (the lesser of the two, under --as)' : ''} does not reach ${row}.`;
}

function principalOf(side: SideVerdict): DiagnosedPrincipal {
  return {
    role: side.role,
    id: side.id,
    label: side.label,
    holds: side.holds,
    depth: side.depth,
    grants: side.grants.map((grant) => ({ role: grant.roleName, depth: grant.depth, team: grant.team ? (grant.team.name ?? grant.team.id) : null })),
  };
}

function through(grants: readonly Grant[]): string {
  if (grants.length === 0) return '';
  return ` through ${list([...new Set(grants.map((grant) => `${grant.roleName}${grant.team ? ` (team ${grant.team.name ?? grant.team.id})` : ''}`))])}`;
}

/**
 * 0x8004A110: the signed-in identity may not act on behalf of another user. It lacks
 * prvActOnBehalfOfAnotherUser, or holds it only through a team, which does not count
 * (https://learn.microsoft.com/power-apps/developer/data-platform/impersonate-another-user).
 */
async function diagnoseActOnBehalf(error: DataverseApiError, client: DataverseClient, run: DenialRun): Promise<DenialDiagnosis> {
  const parsed = parseCannotActOnBehalf(error.serviceMessage);
  const me = await client.whoAmI();
  const callerId = me.UserId.toLowerCase();
  const [users, granting] = await Promise.all([readUsersWithRoles(client, [callerId]), refusedAsUndefined(rolesGranting(client, [ACT_ON_BEHALF]))]);
  const holder = users.get(callerId);
  if (!holder || !granting) return actOnBehalfFromOwnPrivileges(error, client, run, callerId, parsed?.template ?? null);
  const depths = await new RolePrivileges(client).depths(roleIdsOf(holder).filter((id) => granting.has(id)), ACT_ON_BEHALF);
  const grants = grantsOf(holder, depths);
  const label = await signedInLabel(client, holder.user, callerId);
  const direct = grants.filter((grant) => !grant.team);
  const viaTeam = grants.filter((grant) => grant.team);
  const grantingRoles = rolesWith(granting, ACT_ON_BEHALF).map((role) => role.name);
  const answer =
    direct.length > 0
      ? `${capital(label)} holds ${ACT_ON_BEHALF} through ${list(direct.map((grant) => grant.roleName))}, assigned directly, and Dataverse still refused: the user acted as may be one nobody may act as (such as SYSTEM).`
      : viaTeam.length > 0
        ? `${capital(label)} holds ${ACT_ON_BEHALF} only${through(viaTeam)}, and a team's role does not count: acting on behalf of another user needs a role assigned directly.`
        : `${capital(label)} lacks ${ACT_ON_BEHALF}, so it may not act on behalf of another user.`;
  const side: DiagnosedPrincipal = {
    role: 'signed-in',
    id: callerId,
    label,
    holds: direct.length > 0,
    depth: direct.length > 0 ? (direct[0]?.depth ?? null) : null,
    grants: grants.map((grant) => ({ role: grant.roleName, depth: grant.depth, team: grant.team ? (grant.team.name ?? grant.team.id) : null })),
  };
  const diagnosis: DiagnosisFound = {
    status: 'diagnosed',
    kind: 'cannot-act-on-behalf',
    privilege: ACT_ON_BEHALF,
    impersonating: true,
    message: { template: parsed?.template ?? null, principal: null, entity: null },
    lacking: direct.length > 0 ? [] : [{ id: callerId, label, privilege: ACT_ON_BEHALF, holds: null, needs: null }],
    principals: [side],
    record: null,
    grantingRoles,
    lines: [answer, `Roles that grant ${ACT_ON_BEHALF} (assign one to the signed-in identity directly): ${grantingRoles.join(', ') || 'none'}.`],
  };
  return withNamedPlaceholders(error, client, run, diagnosis, label);
}

/** The captured wording leaves {0} (the identity acting) and {1} (the user acted as) unfilled: dvas names them. */
async function withNamedPlaceholders(error: DataverseApiError, client: DataverseClient, run: DenialRun, diagnosis: Diagnosis, signedIn: string): Promise<DenialDiagnosis> {
  if (!/\{\d\}/.test(error.serviceMessage)) return { diagnosis };
  const target = run.options.as ? await actedAsLabel(run.options.as, client) : undefined;
  return { diagnosis, message: namePlaceholders(error.serviceMessage, [signedIn, target]) };
}

/**
 * 0x8004A110 when the signed-in identity may not read roles: its own holding of the privilege
 * (RetrieveUserPrivilegeByPrivilegeName counts team roles too). Held and still refused means held
 * only through a team.
 */
async function actOnBehalfFromOwnPrivileges(error: DataverseApiError, client: DataverseClient, run: DenialRun, callerId: string, template: string | null): Promise<DenialDiagnosis> {
  const [holding, me] = await Promise.all([userPrivilege(client, callerId, ACT_ON_BEHALF), userOf(client, callerId)]);
  if (holding.holds === 'unknown') return unavailable('the signed-in identity may not read its own privileges.');
  const label = await signedInLabel(client, me, callerId);
  const answer =
    holding.holds === true
      ? `${capital(label)} holds ${ACT_ON_BEHALF} only through a team, and a team's role does not count: acting on behalf of another user needs a role assigned directly.`
      : `${capital(label)} lacks ${ACT_ON_BEHALF}, so it may not act on behalf of another user.`;
  const diagnosis: DiagnosisFound = {
    status: 'diagnosed',
    kind: 'cannot-act-on-behalf',
    privilege: ACT_ON_BEHALF,
    impersonating: true,
    message: { template, principal: null, entity: null },
    lacking: [{ id: callerId, label, privilege: ACT_ON_BEHALF, holds: null, needs: null }],
    principals: [{ role: 'signed-in', id: callerId, label, holds: false, depth: null, grants: [] }],
    record: null,
    grantingRoles: [],
    lines: [
      answer,
      `The signed-in identity may not read security roles (prvReadRole), so dvas cannot list the roles that grant ${ACT_ON_BEHALF}; Microsoft's Delegate role does: assign it to the signed-in identity directly.`,
    ],
  };
  return withNamedPlaceholders(error, client, run, diagnosis, label);
}

async function actedAsLabel(asUser: AsUser, client: DataverseClient): Promise<string> {
  try {
    const lookup = await findUser(asUser, client);
    return lookup.user ? describeUser(lookup.user) : asUser.raw.trim();
  } catch {
    return asUser.raw.trim();
  }
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
