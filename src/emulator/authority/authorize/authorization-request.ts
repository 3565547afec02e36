import { EntraError, entraErrors } from '../entra-errors.js';
import type { ClientDirectory } from '../grants/client.js';
import { parseScopes } from '../scopes.js';
import { isLoopbackRedirect } from './loopback-redirect.js';
import { codeChallengeMethod, type CodeChallengeMethod } from './pkce.js';

/** How the answer reaches the client: a page that posts a form (what msal-node asks for) or a redirect with the fields in the query or fragment. */
export type ResponseMode = 'form_post' | 'query' | 'fragment';

/** Where the authorize endpoint's answer (a code, or an error) goes. */
export interface Redirect {
  uri: string;
  mode: ResponseMode;
  /** Echoed back so the client can match the answer to its request. */
  state: string | undefined;
}

/** A valid authorization request: what the sign-in needs and what the code remembers. */
export interface AuthorizationRequest {
  clientId: string;
  redirect: Redirect;
  scope: string;
  codeChallenge: string;
  codeChallengeMethod: CodeChallengeMethod;
  nonce: string | undefined;
  prompt: string | undefined;
  loginHint: string | undefined;
  /** `client_info=1`: the answer carries client_info, as msal asks. */
  clientInfo: boolean;
}

export type ReadAuthorizationRequest = { ok: true; request: AuthorizationRequest } | { ok: false; redirect: Redirect; failure: EntraError };

/**
 * Reads an authorize request in Entra's order. A missing or unknown client, or a redirect URI the
 * client may not use, leaves nowhere safe to send an answer: those throw, and the endpoint shows an
 * error page. Everything checked after that is answered at the redirect URI, as Entra does.
 */
export function readAuthorizationRequest(authority: Pick<ClientDirectory, 'core' | 'isKnownClient'>, params: URLSearchParams): ReadAuthorizationRequest {
  const clientId = (params.get('client_id') ?? '').toLowerCase();
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (!authority.isKnownClient(clientId)) throw entraErrors.applicationNotFound(clientId, authority.core.organizationName);
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) throw entraErrors.missingParameter('redirect_uri');
  if (!isLoopbackRedirect(redirectUri)) throw entraErrors.redirectUriNotRegistered(redirectUri, clientId);

  const redirect: Redirect = { uri: redirectUri, mode: responseMode(params.get('response_mode')), state: params.get('state') ?? undefined };
  const failure = (error: EntraError): ReadAuthorizationRequest => ({ ok: false, redirect, failure: error });
  const responseType = params.get('response_type');
  if (!responseType) return failure(entraErrors.missingParameter('response_type'));
  if (responseType !== 'code') return failure(entraErrors.unsupportedResponseType(responseType));
  const scope = params.get('scope');
  if (!scope) return failure(entraErrors.missingParameter('scope'));
  const scopes = parseScopes(scope);
  if (scopes instanceof EntraError) return failure(scopes);
  // Every emulated client is public (no redirect URI of a confidential web app is accepted), and public clients must use PKCE.
  const codeChallenge = params.get('code_challenge');
  if (!codeChallenge) return failure(entraErrors.missingParameter('code_challenge'));
  const method = codeChallengeMethod(params.get('code_challenge_method'));
  if (!method) return failure(entraErrors.invalidCodeChallengeMethod());
  return {
    ok: true,
    request: {
      clientId,
      redirect,
      scope,
      codeChallenge,
      codeChallengeMethod: method,
      nonce: params.get('nonce') ?? undefined,
      prompt: params.get('prompt') ?? undefined,
      loginHint: params.get('login_hint') ?? undefined,
      clientInfo: params.get('client_info') === '1',
    },
  };
}

/** Entra's default for the code flow is `query`; a mode it does not know is treated the same way. */
function responseMode(value: string | null): ResponseMode {
  return value === 'form_post' || value === 'fragment' ? value : 'query';
}
