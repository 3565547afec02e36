import type { TokenService } from './tokens.js';

/** What TokenService.issue takes: the claims that vary per token, and its lifetime. */
export type IssuedClaims = Parameters<TokenService['issue']>[0];

/** The user a delegated token is for. `objectId` is '' for an on-premises user (no Entra account). */
export interface TokenSubject {
  systemuserid: string;
  objectId: string;
  fullname: string;
  /** The UPN (systemuser.domainname). */
  username: string;
}

/**
 * The claims of a user's (delegated) access token, as Entra's v1 tokens for Dataverse carry them.
 * Every grant of the authority and the emulator's `issueToken` build them here, so that a token a
 * test issues by hand is the token a sign-in would give. An on-premises user has no object id: its
 * `sub` is the systemuserid and the Web API finds it by `upn`.
 */
export function userTokenClaims(subject: TokenSubject, grant: { clientId: string; audience: string; scope: string; lifetimeSeconds: number }): IssuedClaims {
  return {
    oid: subject.objectId,
    sub: subject.objectId || subject.systemuserid,
    appid: grant.clientId,
    aud: grant.audience,
    idtyp: 'user',
    name: subject.fullname,
    upn: subject.username,
    scp: grant.scope,
    lifetimeSeconds: grant.lifetimeSeconds,
  };
}

/** The claims of an application's own (app-only) access token: its service principal's object id, no user claims, no scp. */
export function appTokenClaims(objectId: string, grant: { clientId: string; audience: string; lifetimeSeconds: number }): IssuedClaims {
  return {
    oid: objectId,
    sub: objectId,
    appid: grant.clientId,
    aud: grant.audience,
    idtyp: 'app',
    lifetimeSeconds: grant.lifetimeSeconds,
  };
}
