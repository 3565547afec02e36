import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/index.js';

/**
 * Starts a real emulator on port 0 for a test file and closes it afterwards. Returns a getter:
 * the emulator exists only once beforeAll has run.
 */
export function useEmulator(options: StartEmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, ...options });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('The emulator is not started yet (use it inside a test).');
    return emulator;
  };
}

/** The demo users by short name, as tests refer to them. */
export const DEMO = {
  app: 'dvas-demo-app@contoso.com',
  admin: 'admin@contoso.com',
  sam: 'sam.sales@contoso.com',
  riley: 'riley.reader@contoso.com',
  tess: 'tess.team@contoso.com',
  devon: 'devon.delegate@contoso.com',
  dana: 'dana.disabled@contoso.com',
  nora: 'nora.noroles@contoso.com',
  owen: 'owen.onprem@contoso.com',
  morgan: 'morgan.multi@contoso.com',
} as const;

export function user(emulator: RunningEmulator, email: string) {
  const found = emulator.users.find((candidate) => candidate.internalemailaddress === email);
  if (!found) throw new Error(`No demo user ${email}`);
  return found;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * One Web API request over real HTTP, as a hand-written client would send it: the standard OData
 * headers, a bearer token for `as` (a user's email or the app), and whatever else the test adds.
 */
export async function api(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { as?: string; token?: string | null; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'OData-MaxVersion': '4.0',
    'OData-Version': '4.0',
    ...options.headers,
  };
  const token = options.token === undefined ? emulator.issueToken(options.as ?? DEMO.app) : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  const url = path.startsWith('http') ? path : `${emulator.url}${path.startsWith('/') ? path : `/api/data/v9.2/${path}`}`;
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * What the emulator's Web API receives from now on: the returned function lists each request
 * since this call as `METHOD target`, oldest first (what a dry run sent, for one).
 */
export function requestsFrom(emulator: RunningEmulator): () => string[] {
  const last = emulator.requestLog.entries.at(-1);
  return () => {
    const entries = emulator.requestLog.entries;
    return entries.slice(last ? entries.indexOf(last) + 1 : 0).map((entry) => `${entry.method} ${entry.target}`);
  };
}

/** The requests that are not reads (a dry run must send none). */
export function writesIn(requests: readonly string[]): string[] {
  return requests.filter((request) => !request.startsWith('GET '));
}
