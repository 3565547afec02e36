import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** One answer as the proxy passes it on; a rewrite may change any part. */
export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Gets each request (method, path with query) and the emulator's answer; returns what to answer instead. */
export type Rewrite = (request: { method: string; path: string; headers: IncomingHttpHeaders }, answer: ProxiedAnswer) => ProxiedAnswer;

/**
 * A small HTTP server on port 0 in front of another (the emulator), for answers the emulator never
 * gives: it forwards every request as it came and lets the test rewrite the answer (an
 * OData-EntityId dvas cannot parse, a 404 on a read-back). Tokens issued for the emulator still
 * work through it: the emulator checks them, and dvas does not look inside them.
 */
export function useRewritingProxy(upstream: () => string): {
  url: () => string;
  rewrite: (next: Rewrite | undefined) => void;
  /** Requests this says yes to are taken and never answered (until the proxy closes): a service that stopped mid-run. */
  hold: (when: ((request: { method: string; path: string }) => boolean) | undefined) => void;
  /**
   * Requests this says yes to are passed on and carried out, then the connection is closed without
   * an answer: the lost answer after which only an idempotent request may be sent again.
   */
  dropAnswer: (when: ((request: { method: string; path: string }) => boolean) | undefined) => void;
} {
  let rewrite: Rewrite | undefined;
  let hold: ((request: { method: string; path: string }) => boolean) | undefined;
  let dropAnswer: ((request: { method: string; path: string }) => boolean) | undefined;
  let url = '';
  const server = createServer(async (req, res) => {
    if (hold?.({ method: req.method ?? 'GET', path: req.url ?? '/' })) return;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const method = req.method ?? 'GET';
    // A row's URL in a body or in $id names the proxy, which the emulator would take for another
    // service: it is passed on as the emulator's own (the answers' links stay the emulator's).
    const own = (text: string) => text.split(url).join(upstream()).split(encodeURIComponent(url)).join(encodeURIComponent(upstream()));
    const response = await fetch(`${upstream()}${own(req.url ?? '/')}`, {
      method,
      headers,
      ...(chunks.length > 0 ? { body: own(Buffer.concat(chunks).toString('utf8')) } : {}),
    });
    let answer: ProxiedAnswer = { status: response.status, headers: {}, body: await response.text() };
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') answer.headers[name] = value;
    });
    if (dropAnswer?.({ method, path: req.url ?? '/' })) {
      req.socket.destroy();
      return;
    }
    if (rewrite) answer = rewrite({ method, path: req.url ?? '/', headers: req.headers }, answer);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: () => url, rewrite: (next) => (rewrite = next), hold: (when) => (hold = when), dropAnswer: (when) => (dropAnswer = when) };
}
