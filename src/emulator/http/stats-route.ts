import type { EmulatorCore } from '../core.js';
import type { RawRoute } from './server.js';

export const STATS_PATH = '/_emulator/stats';

/**
 * `GET /_emulator/stats`: the counters as JSON, readable while the emulator runs (the `--json`
 * startup line is printed once). Not part of the Web API, so it is neither metered nor faulted.
 */
export function statsRoute(core: () => EmulatorCore | undefined): RawRoute {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== STATS_PATH) return false;
    const current = core();
    if (req.method !== 'GET' || !current) {
      res.writeHead(req.method !== 'GET' ? 405 : 503, { Allow: 'GET', 'Content-Length': '0' }).end();
      return true;
    }
    const body = JSON.stringify(current.stats);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
    res.end(body);
    return true;
  };
}
