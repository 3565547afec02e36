import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TlsCertificate } from './tls-certificate.js';
import { errors } from './errors.js';
import { errorAnswer } from './respond.js';
import type { EmulatorRequest, EmulatorResponse } from './types.js';

/** The largest request body accepted, as the real service's ~116 MB message limit (docs/dataverse-web-api.md §4.2). */
export const MAX_BODY_BYTES = 116 * 1024 * 1024;

/** A route outside the Web API (the sign-in authority): answers or returns false to fall through. */
export type RawRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean | Promise<boolean>;

export interface ServerHooks {
  /** The Web API: `/api/data/…` requests. May be async (latency injection, limits). */
  webApi(request: EmulatorRequest, raw: IncomingMessage, res: ServerResponse): Promise<EmulatorResponse | undefined> | EmulatorResponse | undefined;
  /** Everything else, tried in order (the authority, the emulator's control endpoints). */
  routes: RawRoute[];
}

/**
 * The node:http front: reads each request off the socket, hands Web API requests to the
 * dispatcher and other paths to the raw routes, and writes the answer. A hook returning
 * `undefined` has handled (or deliberately dropped) the socket itself, as fault injection does.
 */
export function createEmulatorServer(hooks: ServerHooks, tls?: TlsCertificate): Server {
  // node's default 16 KB header limit would refuse GET URLs the service accepts (up to 32 KB,
  // docs/dataverse-web-api.md §0) before the dispatcher could answer them, or its 414 for longer ones.
  const options = { keepAliveTimeout: 65_000, maxHeaderSize: 64 * 1024 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(hooks, req, res).catch((error: unknown) => {
      // A client that hung up mid-request is not an emulator fault: there is no one to answer.
      if ((error as NodeJS.ErrnoException)?.code === 'ECONNRESET') {
        res.destroy();
        return;
      }
      process.stderr.write(`dvas emulator: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      if (!res.headersSent) writeResponse(res, errorAnswer(errors.unexpected(), preferOf(req)));
      else res.destroy();
    });
  };
  // With a certificate, https (`--https`): the same server behind TLS, for clients that refuse http.
  const server: Server = tls ? createTlsServer({ ...options, cert: tls.cert, key: tls.key }, handler) : createServer(options, handler);
  // A request node cannot even parse (bad request line, oversized headers) gets a plain 400.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function serve(hooks: ServerHooks, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    const answer = errorAnswer(errors.payloadTooLarge(), preferOf(req));
    // The body was thrown away unread: do not keep a connection that a client may still be filling.
    answer.headers['Connection'] = 'close';
    writeResponse(res, answer);
    return;
  }
  const target = req.url ?? '/';
  if (target.startsWith('/api/data/')) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const response = await hooks.webApi({ method: req.method ?? 'GET', target, headers, body: body.toString('utf8') }, req, res);
    if (response) writeResponse(res, response);
    return;
  }
  for (const route of hooks.routes) {
    if (await route(req, res, body)) return;
  }
  writeResponse(res, {
    status: 404,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code: '', message: `The emulator has no resource at '${target}'.` } }),
  });
}

/** Answers given before dispatch still honour `Prefer: odata.include-annotations`, as the dispatcher's do. */
function preferOf(req: IncomingMessage): string | undefined {
  const value = req.headers.prefer;
  return Array.isArray(value) ? value.join(', ') : value;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function writeResponse(res: ServerResponse, response: EmulatorResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
