import { dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import { isRecord, learnedWithin, OriginCache } from '../config/origin-cache.js';
import { discoverAuthority, parseAuthorizationUri, type DiscoveredAuthority } from './authority-discovery.js';

/**
 * How long a learned tenant is used without asking the environment again. An environment moves to
 * another tenant practically never; the bound only keeps a wrong entry from living for ever.
 */
export const LEARNED_AUTHORITY_TTL_MS = 24 * 60 * 60_000;

const FILE_NAME = 'authority-cache.json';
const FORMAT_VERSION = 1;

interface LearnedEntry {
  /** As the bearer challenge named it, e.g. `https://login.microsoftonline.com/<tenant>`. */
  authority: string;
  /** ISO time the environment answered. */
  learnedAt: string;
}

/** The file: per environment origin, the authority its challenge named, and when. */
const FORMAT = {
  version: FORMAT_VERSION,
  parse: (value: unknown): LearnedEntry | undefined =>
    isRecord(value) && typeof value.authority === 'string' && typeof value.learnedAt === 'string'
      ? { authority: value.authority, learnedAt: value.learnedAt }
      : undefined,
  fresh: (entry: LearnedEntry, now: number): LearnedEntry | undefined => (learnedWithin(entry.learnedAt, now, LEARNED_AUTHORITY_TTL_MS) ? entry : undefined),
};

/**
 * The authorities that environments' bearer challenges named, remembered across runs in
 * `authority-cache.json` beside the token cache, so that a profile without a tenant asks the
 * environment once a day instead of on every run. Like the table cache it is only a cache: an
 * unreadable file reads as empty and a failed write is ignored (config/origin-cache.ts). An entry passes the same trust
 * check as a fresh challenge before it is used, so editing the file cannot send a secret anywhere
 * a challenge could not.
 */
export class LearnedAuthorities {
  private readonly cache: OriginCache<LearnedEntry>;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.cache = new OriginCache(file, FORMAT, now);
  }

  /** Beside the msal token cache file (the config directory). */
  static besideTokenCache(tokenCacheFile: string): LearnedAuthorities {
    return new LearnedAuthorities(join(dirname(tokenCacheFile), FILE_NAME));
  }

  /** The environment's authority: remembered, else from its bearer challenge (one request), then remembered. */
  async discover(environment: URL, apiVersion: string, dispatcher: Dispatcher): Promise<DiscoveredAuthority> {
    const environments = await this.cache.read();
    const entry = environments[environment.origin];
    if (entry) {
      try {
        return parseAuthorizationUri(entry.authority, environment);
      } catch {
        // No longer trusted or readable: ask the environment, as if nothing were remembered.
      }
    }
    const discovered = await discoverAuthority(environment, apiVersion, dispatcher);
    await this.cache.write({ ...environments, [environment.origin]: { authority: discovered.authority.href, learnedAt: this.now().toISOString() } });
    return discovered;
  }
}
