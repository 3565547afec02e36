import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorCore } from '../../core.js';
import type { AuthorizationCodeStore } from '../authorization-codes.js';
import { EntraError, entraErrorBody, entraErrors } from '../entra-errors.js';
import type { ClientDirectory } from '../grants/client.js';
import { sendHtml } from '../http-io.js';
import { authorizePage } from '../pages.js';
import { findPerson, peopleWhoCanSignIn, personById, SignInRefusal, type Person } from '../people.js';
import type { SigningKey } from '../signing-key.js';
import { clientInfoOf } from '../user-token-response.js';
import { readAuthorizationRequest, type AuthorizationRequest, type ReadAuthorizationRequest, type Redirect } from './authorization-request.js';
import { chooseAccountPage, signInErrorPage } from './pages.js';
import { sendToRedirect, stateOf } from './redirect-answer.js';

/** What the authorize endpoint reads: the clients, the people, who is at the browser, and where codes go. */
export type AuthorizeAuthority = Pick<ClientDirectory, 'isKnownClient'> & {
  readonly core: Pick<EmulatorCore, 'organizationName' | 'tenantId' | 'origin' | 'store' | 'clock'>;
  readonly options: { readonly autoApproveUserId?: string | undefined };
  readonly authorizationCodes: Pick<AuthorizationCodeStore, 'issue'>;
  readonly idTokenKey: Pick<SigningKey, 'get'>;
};

/** What the endpoint answered, for the request log: the status sent and the OAuth error, if it was one. */
export interface AuthorizeAnswer {
  status: number;
  error?: string;
}

interface RequestIds {
  traceId: string;
  correlationId: string;
}

/**
 * The authorize endpoint (GET, or POST with a form) of the authorization code flow: the page a
 * browser gets. For a person who signs in, Entra's answer at the redirect URI: a code (and the
 * request's `state`) that the client redeems at the token endpoint with its PKCE verifier. Who
 * signs in: the `login_hint` person, else the person `approveDeviceCodes` names (the emulator's
 * stand-in for someone already signed in to the browser), else the page asks who it is.
 */
export function answerAuthorize(authority: AuthorizeAuthority, path: string, params: URLSearchParams, res: ServerResponse, ids: RequestIds): AuthorizeAnswer {
  // Opened with no sign-in request (the Web API's challenge points here): say what the authority serves.
  if (!params.has('client_id') && !params.has('response_type')) {
    sendHtml(res, 200, authorizePage(authority.core.tenantId, authority.core.origin));
    return { status: 200 };
  }
  let read: ReadAuthorizationRequest;
  try {
    read = readAuthorizationRequest(authority, params);
  } catch (failure) {
    if (!(failure instanceof EntraError)) throw failure;
    const body = entraErrorBody(failure, ids, new Date(authority.core.clock.now()));
    sendHtml(res, 400, signInErrorPage(failure.message, ids, body.timestamp));
    return { status: 400, error: failure.error };
  }
  const now = () => new Date(authority.core.clock.now());
  if (!read.ok) return sendError(res, read.redirect, read.failure, ids, now());
  const { request } = read;

  let problem: string | undefined;
  let person: Person | undefined;
  if (request.loginHint !== undefined) {
    try {
      person = findPerson(authority.core.store, request.loginHint);
    } catch (refusal) {
      if (!(refusal instanceof SignInRefusal)) throw refusal;
      problem = refusal.message;
    }
  }
  const approver = authority.options.autoApproveUserId;
  person ??= approver === undefined ? undefined : personById(authority.core.store, approver);
  if (!person) {
    // prompt=none forbids showing a page: nobody is signed in, as Entra says then.
    if (request.prompt === 'none') return sendError(res, request.redirect, entraErrors.loginRequired(), ids, now());
    sendHtml(res, 200, chooseAccountPage(path, params, peopleWhoCanSignIn(authority.core.store), problem));
    return { status: 200 };
  }
  return { status: sendToRedirect(res, request.redirect, codeFields(authority, request, person)) };
}

/** The code for the person, remembered with what its redemption must match, and the fields Entra sends with it. */
function codeFields(authority: AuthorizeAuthority, request: AuthorizationRequest, person: Person): Record<string, string> {
  const code = authority.authorizationCodes.issue({
    clientId: request.clientId,
    userId: person.systemuserid,
    redirectUri: request.redirect.uri,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    scope: request.scope,
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
  // The redemption will need an ID token: make its key now, while the browser posts the code back.
  authority.idTokenKey.get().catch(() => undefined);
  return {
    code,
    ...(request.clientInfo ? { client_info: clientInfoOf(person, authority.core.tenantId) } : {}),
    ...stateOf(request.redirect),
    session_state: randomUUID(),
  };
}

/** An error Entra reports to the application at its redirect URI: `error`, `error_description`, `error_uri` (and `state`). */
function sendError(res: ServerResponse, redirect: Redirect, failure: EntraError, ids: RequestIds, at: Date): AuthorizeAnswer {
  const body = entraErrorBody(failure, ids, at);
  const status = sendToRedirect(res, redirect, {
    error: body.error,
    error_description: body.error_description,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
    ...stateOf(redirect),
  });
  return { status, error: failure.error };
}
