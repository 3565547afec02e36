import { readFile } from 'node:fs/promises';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { writeFileAtomically } from '../config/atomic-write.js';
import { configFileError } from '../config/file-problems.js';
import { isRecord } from '../config/origin-cache.js';

/**
 * msal's token cache persisted in one file shared by every msal sign-in kind, so that a second
 * dvas command reuses the tokens of the first (app-only tokens included) and makes no token
 * request. The file holds access and refresh tokens, never a client secret or key:
 * - it is created 0600 in a 0700 directory, and always replaced atomically (write a temp file in
 *   the same directory, fsync, rename), so a crash or a parallel run never leaves half a file;
 * - a corrupted or unreadable file is not fatal: the cache starts empty and the next write
 *   replaces it (the worst case is one extra sign-in). Only a path that cannot hold the file (it
 *   is a directory, the config directory is a file, no permission to write) stops the run: exit 3,
 *   naming the file and what is wrong (config/file-problems.ts);
 * - there is no cross-process lock: with parallel runs the last writer wins, which costs at
 *   most an extra token request.
 */
export class FileCachePlugin implements ICachePlugin {
  constructor(private readonly file: string) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      // A file dvas may not read is replaced by the next write (a rename needs only the directory).
      if (isErrno(error, 'EACCES')) return;
      throw configFileError('the token cache', this.file, error) ?? error;
    }
    try {
      context.tokenCache.deserialize(hasCacheShape(text) ? text : '');
    } catch {
      // Not a cache msal can read: start empty (msal keeps the text it failed on and would
      // trip over it again when writing, so hand it an empty one). The next write replaces the file.
      context.tokenCache.deserialize('');
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    try {
      await writeFileAtomically(this.file, context.tokenCache.serialize());
    } catch (error) {
      throw configFileError('the token cache', this.file, error) ?? error;
    }
  }
}

/** The sections of msal's serialized cache: each maps a key to one entry object. */
const CACHE_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'];

/**
 * Whether `text` has the outline of msal's serialized cache. msal's deserialize accepts valid JSON
 * of any shape and only fails later, mid sign-in, on an entry that is not an object (a section of
 * strings made `whoami` exit 4): such a file is as unreadable as bad JSON, so it starts empty too.
 */
function hasCacheShape(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isRecord(parsed)) return false;
  return CACHE_SECTIONS.every((name) => {
    const section = parsed[name];
    return section === undefined || (isRecord(section) && Object.values(section).every(isRecord));
  });
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
