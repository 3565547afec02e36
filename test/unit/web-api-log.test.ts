import { describe, expect, it } from 'vitest';
import { WebApiRequestLog } from '../../src/emulator/http/web-api-log.js';

const request = (n: number, body = '') => ({ method: 'POST', target: `/api/data/v9.2/accounts?n=${n}`, headers: { authorization: 'Bearer secret-token' }, body });
const at = new Date('2026-12-04T00:00:00Z');

describe("the emulator's Web API request log", () => {
  it('keeps the newest requests, oldest first, up to its count', () => {
    const log = new WebApiRequestLog({ entries: 3, bodyChars: 1_000 });
    for (let n = 1; n <= 5; n++) log.record(request(n), at);
    expect(log.entries.map((entry) => entry.target)).toEqual(['/api/data/v9.2/accounts?n=3', '/api/data/v9.2/accounts?n=4', '/api/data/v9.2/accounts?n=5']);
  });

  it('drops the oldest when the bodies pass their budget, as a long seeding run would make them', () => {
    const log = new WebApiRequestLog({ entries: 100, bodyChars: 250 });
    for (let n = 1; n <= 10; n++) log.record(request(n, 'x'.repeat(100)), at);
    expect(log.entries.map((entry) => entry.target.split('=')[1])).toEqual(['9', '10']);
  });

  it('always keeps the newest request, however big its body', () => {
    const log = new WebApiRequestLog({ entries: 100, bodyChars: 10 });
    log.record(request(1, 'small'), at);
    log.record(request(2, 'y'.repeat(1_000)), at);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]?.body).toHaveLength(1_000);
  });

  it('by default keeps 10,000 requests and 32 MiB of bodies', () => {
    expect(WebApiRequestLog.DEFAULT_LIMITS).toEqual({ entries: 10_000, bodyChars: 32 * 1024 * 1024 });
  });

  it('never keeps the bearer token', () => {
    const log = new WebApiRequestLog();
    log.record(request(1), at);
    expect(log.entries[0]?.headers.authorization).toBe('Bearer <redacted>');
  });
});
