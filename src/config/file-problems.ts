import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { quote } from '../output/terminal-text.js';

/**
 * A file dvas keeps in its config directory that the system refused (the token cache, the
 * profiles): exit 3 with the file and what is wrong with it, instead of whatever the caller would
 * have made of a bare ENOTDIR. `what` names the file for people ("the token cache"). Undefined for
 * an error that is not about the path (the caller deals with it as before).
 */
export function configFileError(what: string, file: string, error: unknown): ConfigError | undefined {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  switch (code) {
    case 'EISDIR':
      return new ConfigError(`Cannot use ${what} ${quote(file)}: it is a directory, not a file.`, { hint: 'Remove or rename that directory: dvas writes the file there.', cause: error });
    case 'ENOTDIR': {
      const blocker = fileInTheWay(file);
      return new ConfigError(`Cannot use ${what} ${quote(file)}: ${blocker ? `${quote(blocker)} is a file, not a directory` : 'a part of its path is not a directory'}.`, {
        hint: 'Point DVAS_CONFIG_DIR at a directory, or move that file out of the way.',
        cause: error,
      });
    }
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ConfigError(`Cannot use ${what} ${quote(file)}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'} (${code}).`, {
        hint: 'Give your user access to the file and its directory, or point DVAS_CONFIG_DIR elsewhere.',
        cause: error,
      });
    default:
      return undefined;
  }
}

/** The nearest ancestor of `path` that exists and is not a directory. */
function fileInTheWay(path: string): string | undefined {
  for (let current = dirname(path); current !== dirname(current); current = dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) return current;
    } catch {
      // Not there (or not reachable): look further up.
    }
  }
  return undefined;
}
