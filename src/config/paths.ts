import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where dvas keeps its profiles and token cache: `DVAS_CONFIG_DIR` when set (tests, CI jobs that
 * must not share state), else the platform's per-user config directory.
 */
export function configDirectory(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (env.DVAS_CONFIG_DIR) return env.DVAS_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'dvas');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'dvas');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'dvas');
}

/** The MSAL token cache file (0600, written atomically); kept beside the profiles. */
export function tokenCacheFile(env: Readonly<Record<string, string | undefined>>): string {
  return join(configDirectory(env), 'token-cache.json');
}
