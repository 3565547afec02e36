import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import { writeFileAtomically } from '../config/atomic-write.js';
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

interface LearnedDocument {
  version: typeof FORMAT_VERSION;
  environments: Record<string, LearnedEntry>;
}

/**
 * The authorities that environments' bearer challenges named, remembered across runs in
 * `authority-cache.json` beside the token cache, so that a profile without a tenant asks the
 * environment once a day instead of on every run. Like the table cache it is only a cache: an
 * unreadable file reads as empty and a failed write is ignored. An entry passes the same trust
 * check as a fresh challenge before it is used, so editing the file cannot send a secret anywhere
 * a challenge could not.
 */
export class LearnedAuthorities {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Beside the msal token cache file (the config directory). */
  static besideTokenCache(tokenCacheFile: string): LearnedAuthorities {
    return new LearnedAuthorities(join(dirname(tokenCacheFile), FILE_NAME));
  }

  /** The environment's authority: remembered, else from its bearer challenge (one request), then remembered. */
  async discover(environment: URL, apiVersion: string, dispatcher: Dispatcher): Promise<DiscoveredAuthority> {
    const document = await this.read();
    const entry = document.environments[environment.origin];
    if (entry && this.isFresh(entry)) {
      try {
        return parseAuthorizationUri(entry.authority, environment);
      } catch {
        // No longer trusted or readable: ask the environment, as if nothing were remembered.
      }
    }
    const discovered = await discoverAuthority(environment, apiVersion, dispatcher);
    const environments: Record<string, LearnedEntry> = {};
    for (const [origin, kept] of Object.entries(document.environments)) if (this.isFresh(kept)) environments[origin] = kept;
    environments[environment.origin] = { authority: discovered.authority.href, learnedAt: this.now().toISOString() };
    try {
      await writeFileAtomically(this.file, `${JSON.stringify({ version: FORMAT_VERSION, environments } satisfies LearnedDocument)}\n`);
    } catch {
      // A read-only config directory costs the discovery request on every run, nothing more.
    }
    return discovered;
  }

  private isFresh(entry: LearnedEntry): boolean {
    const at = Date.parse(entry.learnedAt);
    const now = this.now().getTime();
    return at <= now && now - at < LEARNED_AUTHORITY_TTL_MS;
  }

  private async read(): Promise<LearnedDocument> {
    const document: LearnedDocument = { version: FORMAT_VERSION, environments: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return document;
    }
    if (!isRecord(parsed) || parsed.version !== FORMAT_VERSION || !isRecord(parsed.environments)) return document;
    for (const [origin, entry] of Object.entries(parsed.environments)) {
      if (isRecord(entry) && typeof entry.authority === 'string' && typeof entry.learnedAt === 'string') {
        document.environments[origin] = { authority: entry.authority, learnedAt: entry.learnedAt };
      }
    }
    return document;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
