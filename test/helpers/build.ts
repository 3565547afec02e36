import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where bin/ and dist/ live. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The real program, as `npm install -g` would run it. */
export const BIN = join(ROOT, 'bin', 'dvas.js');

/**
 * Builds dist/ when any source file is newer than it. Test files run in parallel workers, so the
 * build runs behind a lock directory: one worker builds, the others wait and find it fresh.
 */
export function ensureBuilt(): void {
  const lock = join(ROOT, 'node_modules', '.cache', 'dvas-build.lock');
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left behind by a run that was killed mid-build must not block every later run.
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (lockedAt !== undefined && Date.now() - lockedAt > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${lock}`);
      spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
    }
  }
  try {
    if (isStale()) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmdirSync(lock);
  }
  if (isStale()) throw new Error('dist/ could not be built: run `npm run build` to see why.');
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(join(ROOT, 'dist', 'cli.js')).mtimeMs;
  } catch {
    return true;
  }
  return newestSource(join(ROOT, 'src')) > built;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}
