import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeResponse } from '../http/server.js';

/** Entra's JSON responses are never cached. */
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  writeResponse(res, { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  writeResponse(res, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: html });
}

/** A form post (what OAuth clients and the verification page send) or, for the control endpoints, JSON. */
export function readParams(req: IncomingMessage, body: Buffer): URLSearchParams | undefined {
  const text = body.toString('utf8');
  if (!String(req.headers['content-type'] ?? '').toLowerCase().includes('application/json')) return new URLSearchParams(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const params = new URLSearchParams();
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number') params.set(name, String(item));
  }
  return params;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
