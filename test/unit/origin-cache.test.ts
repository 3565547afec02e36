import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnedWithin, OriginCache, type OriginCacheFormat } from '../../src/config/origin-cache.js';

/** The per-origin cache both the table cache and the learned authorities are made of. */
interface Entry {
  value: string;
  at: string;
}
const HOUR = 3_600_000;
const format: OriginCacheFormat<Entry> = {
  version: 1,
  parse: (value) => (typeof value === 'object' && value !== null && typeof (value as Entry).value === 'string' && typeof (value as Entry).at === 'string' ? (value as Entry) : undefined),
  fresh: (entry, now) => (learnedWithin(entry.at, now, HOUR) ? entry : undefined),
};

function cacheAt(time: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'dvas-origin-cache-')), 'cache.json');
  return { file, cache: new OriginCache(file, format, () => new Date(time)) };
}

describe('OriginCache', () => {
  it('reads a missing, corrupt, foreign or other-version file as empty', async () => {
    const { file, cache } = cacheAt('2026-03-01T10:00:00Z');
    expect(await cache.read()).toEqual({});
    for (const text of ['{not json', '[]', JSON.stringify({ version: 2, environments: { a: { value: 'x', at: '2026-03-01T09:59:00Z' } } })]) {
      writeFileSync(file, text);
      expect(await cache.read()).toEqual({});
    }
  });

  it('keeps only what is fresh, and drops every stale origin on the next write', async () => {
    const { file, cache } = cacheAt('2026-03-01T10:00:00Z');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        environments: {
          'https://fresh.example': { value: 'kept', at: '2026-03-01T09:30:00Z' },
          'https://stale.example': { value: 'gone', at: '2026-03-01T08:00:00Z' },
          'https://future.example': { value: 'gone', at: '2026-03-01T11:00:00Z' },
          'https://broken.example': { value: 3 },
        },
      }),
    );
    const read = await cache.read();
    expect(Object.keys(read)).toEqual(['https://fresh.example']);
    await cache.write({ ...read, 'https://new.example': { value: 'new', at: '2026-03-01T10:00:00Z' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      environments: {
        'https://fresh.example': { value: 'kept', at: '2026-03-01T09:30:00Z' },
        'https://new.example': { value: 'new', at: '2026-03-01T10:00:00Z' },
      },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('ignores a failed write (its directory is a file)', async () => {
    const { file } = cacheAt('2026-03-01T10:00:00Z');
    writeFileSync(file, '');
    const cache = new OriginCache(join(file, 'cache.json'), format, () => new Date());
    await expect(cache.write({ a: { value: 'x', at: new Date().toISOString() } })).resolves.toBeUndefined();
    expect(await cache.read()).toEqual({});
  });
});
