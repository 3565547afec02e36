import type { DataverseClient } from '../dataverse/client.js';
import { DataverseApiError } from '../dataverse/errors.js';
import { Annotation } from '../dataverse/facts.js';
import { odataString } from '../dataverse/odata.js';
import { CliError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { AsUser } from '../options/as-user.js';
import { describeUser, toUserRecord, USER_SELECT, type UserRecord } from './user-record.js';
import { quote } from '../output/terminal-text.js';

/**
 * What a lookup found. A GUID names its user without a lookup, so when the signed-in identity may
 * not read users, dvas goes on with the GUID alone (`unchecked`) rather than refuse a valid id.
 */
export type UserLookup = { user: UserRecord } | { user: undefined; unchecked: DataverseApiError };

const FIND_USERS_HINT = 'Find users and their ids with: dvas users <name or email>';

/**
 * Finds the user an --as value (or a user argument) names, with the client of the signed-in
 * identity: a name in systemusers by email or domain name, a systemuserid by its row, an Entra
 * object id by its column. No such user → exit 6; a name two users answer to → exit 2.
 */
export async function findUser(asUser: AsUser, client: DataverseClient): Promise<UserLookup> {
  switch (asUser.kind) {
    case 'name':
      return { user: await findUserByName(asUser.name, client) };
    case 'systemuserid':
      return findBySystemUserId(asUser.id, client);
    case 'object-id':
      return findByObjectId(asUser.id, client);
  }
}

/** The one user whose email address or domain name (UPN, DOMAIN\user) this is. */
export async function findUserByName(name: string, client: DataverseClient): Promise<UserRecord> {
  const literal = odataString(name);
  const users = await queryUsers(client, `internalemailaddress eq ${literal} or domainname eq ${literal}`).catch((error: unknown) => {
    throw cannotLookUp(error, quote(name));
  });
  const [only, ...others] = users;
  if (!only) {
    throw new CliError(`No Dataverse user has the email address or domain name ${quote(name)}.`, { exitCode: ExitCode.NotFound, hint: FIND_USERS_HINT });
  }
  if (others.length > 0) {
    const candidates = users.map((user) => `${user.systemuserid} (${describeUser(user)})`).join(', ');
    throw new UsageError(`${users.length} users have the email address or domain name ${quote(name)}: ${candidates}.`, {
      hint: 'Name one of them by its systemuserid.',
    });
  }
  return only;
}

async function findBySystemUserId(id: string, client: DataverseClient): Promise<UserLookup> {
  try {
    const row = await client.retrieve('systemusers', id, { select: USER_SELECT, annotations: Annotation.FormattedValue });
    const user = toUserRecord(row);
    if (user) return { user };
  } catch (error) {
    if (isDenied(error)) return { user: undefined, unchecked: error };
    if (!(error instanceof DataverseApiError && error.status === 404)) throw error;
  }
  // A common mix-up (and one the service may silently ignore): an Entra object id given as a systemuserid.
  const byObjectId = await queryUsers(client, `azureactivedirectoryobjectid eq ${id}`).catch(() => []);
  const [owner] = byObjectId;
  throw new CliError(`No Dataverse user has the systemuserid ${id}.`, {
    exitCode: ExitCode.NotFound,
    hint: owner
      ? `${id} is the Entra object id of ${describeUser(owner)}: use aad:${id}, or its systemuserid ${owner.systemuserid}.`
      : FIND_USERS_HINT,
  });
}

async function findByObjectId(objectId: string, client: DataverseClient): Promise<UserLookup> {
  let users: UserRecord[];
  try {
    users = await queryUsers(client, `azureactivedirectoryobjectid eq ${objectId}`);
  } catch (error) {
    if (isDenied(error)) return { user: undefined, unchecked: error };
    throw error;
  }
  const [user] = users;
  if (!user) {
    throw new CliError(`No Dataverse user has the Entra object id ${objectId}.`, {
      exitCode: ExitCode.NotFound,
      hint: `The user may not have been added to this environment yet. ${FIND_USERS_HINT}`,
    });
  }
  return { user };
}

async function queryUsers(client: DataverseClient, filter: string): Promise<UserRecord[]> {
  const page = await client.retrieveMultiple('systemusers', { select: USER_SELECT, filter }, { annotations: Annotation.FormattedValue, all: true });
  return page.records.map(toUserRecord).filter((user): user is UserRecord => user !== undefined);
}

/** The signed-in identity may not read that user (no prvReadUser, or not at a depth that reaches it). */
function isDenied(error: unknown): error is DataverseApiError {
  return error instanceof DataverseApiError && error.status === 403;
}

function cannotLookUp(error: unknown, what: string): unknown {
  if (!isDenied(error)) return error;
  return new CliError(`Cannot look up ${what}: the signed-in identity may not read users (prvReadUser).`, {
    exitCode: ExitCode.PrivilegeDenied,
    ...(error.code ? { code: error.code } : {}),
    status: error.status,
    hint: 'Name the user by its systemuserid or aad:<Entra object id> instead: those need no lookup.',
    ...(error.detail ? { detail: error.detail } : {}),
    cause: error,
  });
}
