import type { ServerResponse } from 'node:http';
import { writeResponse } from '../../http/server.js';
import { sendHtml } from '../http-io.js';
import type { Redirect } from './authorization-request.js';
import { formPostPage } from './pages.js';

/** The request's `state`, which every answer carries back so the client can match it to its request. */
export function stateOf(redirect: Redirect): { state?: string } {
  return redirect.state !== undefined ? { state: redirect.state } : {};
}

/**
 * Sends the authorize endpoint's answer (a code, or an error; `stateOf` included by the caller, in
 * Entra's field order) to the client's redirect URI: a page that posts it (form_post) or a 302
 * with it in the query or the fragment. Returns the status sent.
 */
export function sendToRedirect(res: ServerResponse, redirect: Redirect, answer: Readonly<Record<string, string>>): number {
  if (redirect.mode === 'form_post') {
    sendHtml(res, 200, formPostPage(redirect.uri, answer));
    return 200;
  }
  const location = new URL(redirect.uri);
  if (redirect.mode === 'query') {
    for (const [name, value] of Object.entries(answer)) location.searchParams.set(name, value);
  } else {
    location.hash = new URLSearchParams(answer).toString();
  }
  writeResponse(res, { status: 302, headers: { Location: location.toString(), 'Cache-Control': 'no-store' } });
  return 302;
}
