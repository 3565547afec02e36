import type { RawRoute } from './server.js';

export const HEALTH_PATH = '/_emulator/health';

/**
 * `GET /_emulator/health` (or `HEAD`), for readiness checks: a CI service container's health
 * command, a script waiting for its first request. 200 with `{"status":"ready"}`; the route is
 * added only once the Web API and the authority can answer, so until then the path is a 404 (and
 * once the emulator stops, the connection is refused). Not part of the Web API: it needs no token
 * and is neither metered, logged nor faulted.
 */
export const healthRoute: RawRoute = (req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (path !== HEALTH_PATH) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' }).end();
    return true;
  }
  const body = JSON.stringify({ status: 'ready' });
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
};
