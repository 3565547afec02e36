import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FederatedIssuer, FederatedTokenOptions } from './federated-issuer.js';
import { readParams, sendHtml, sendJson } from './http-io.js';
import { deviceLoginPage } from './pages.js';
import { SignInRefusal, type Person } from './people.js';
import type { AuthorityRequestLog } from './request-log.js';

/** What the control endpoints use: the request log, device code approval and the federated issuer. */
export interface ControlledAuthority {
  readonly log: AuthorityRequestLog;
  readonly federatedIssuer: Pick<FederatedIssuer, 'issuer'>;
  approveDeviceCode(userCode: string, who: string): Person;
  mintFederatedToken(subject: string, options?: FederatedTokenOptions): Promise<string>;
}

/**
 * The emulator's own endpoints around the authority (docs/emulator-authority.md): approving a
 * device code as a person would on the verification page, reading the authority's request log,
 * and minting federated workload tokens. Not part of Entra; under /_emulator/ so they cannot be
 * mistaken for it. Answers false for paths that are not its own.
 */
export function handleControlRequest(authority: ControlledAuthority, req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> | boolean {
  const method = req.method ?? 'GET';
  switch (path) {
    case '/_emulator/authority/log':
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      sendJson(res, 200, authority.log);
      return true;
    case '/_emulator/device/approve':
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      approveFromApi(authority, req, res, body);
      return true;
    case '/_emulator/federated-token':
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return mintFederatedToken(authority, req, res, body);
    case '/devicelogin':
      if (method === 'GET') sendHtml(res, 200, deviceLoginPage());
      else if (method === 'POST') approveFromPage(authority, req, res, body);
      else return methodNotAllowed(res, 'GET, POST');
      return true;
    default:
      return false;
  }
}

function approveFromApi(authority: ControlledAuthority, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const params = readParams(req, body);
  const userCode = params?.get('user_code');
  const who = params?.get('user');
  if (!userCode || !who) {
    sendJson(res, 400, controlError('bad_request', "Send a JSON (or form) body with 'user_code' and 'user' (an email, UPN or systemuserid)."));
    return;
  }
  try {
    const person = authority.approveDeviceCode(userCode, who);
    sendJson(res, 200, { user_code: userCode, approved: true, user: describe(person) });
  } catch (error) {
    if (!(error instanceof SignInRefusal)) throw error;
    sendJson(res, error.status, controlError(error.code, error.message));
  }
}

function approveFromPage(authority: ControlledAuthority, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const params = readParams(req, body);
  try {
    const person = authority.approveDeviceCode(params?.get('user_code') ?? '', params?.get('user') ?? '');
    sendHtml(res, 200, deviceLoginPage({ ok: true, text: `Signed in as ${person.fullname}. You can close this window and return to the application.` }));
  } catch (error) {
    if (!(error instanceof SignInRefusal)) throw error;
    sendHtml(res, error.status, deviceLoginPage({ ok: false, text: error.message }));
  }
}

async function mintFederatedToken(authority: ControlledAuthority, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<true> {
  const params = readParams(req, body);
  const subject = params?.get('subject');
  const lifetime = params?.get('lifetime_seconds');
  const lifetimeSeconds = lifetime === undefined || lifetime === null ? undefined : Number(lifetime);
  if (!subject || (lifetimeSeconds !== undefined && !(Number.isInteger(lifetimeSeconds) && lifetimeSeconds > 0))) {
    sendJson(res, 400, controlError('bad_request', "Send a JSON (or form) body with 'subject', and optionally 'audience' and a positive whole 'lifetime_seconds'."));
    return true;
  }
  const audience = params?.get('audience') ?? undefined;
  const token = await authority.mintFederatedToken(subject, {
    ...(audience !== undefined ? { audience } : {}),
    ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}),
  });
  sendJson(res, 200, { token, issuer: authority.federatedIssuer.issuer, subject });
  return true;
}

function describe(person: Person): Record<string, string> {
  return { fullname: person.fullname, systemuserid: person.systemuserid, azureactivedirectoryobjectid: person.objectId, username: person.username };
}

function controlError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  sendJson(res, 405, controlError('method_not_allowed', `This endpoint accepts ${allow} only.`), { Allow: allow });
  return true;
}
