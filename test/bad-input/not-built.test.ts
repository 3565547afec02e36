import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/build.js';

/**
 * `node bin/dvas.js` in a fresh clone, before `npm run build` (issue 12): one sentence saying what
 * to run, exit 1, instead of Node's ERR_MODULE_NOT_FOUND stack. The real bin/dvas.js, copied into
 * a folder with no dist/.
 */
describe('bad input: dvas run before it was built', () => {
  const clone = mkdtempSync(join(tmpdir(), 'dvas-unbuilt-'));
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it('says to run npm install and npm run build, and nothing else', () => {
    mkdirSync(join(clone, 'bin'));
    copyFileSync(BIN, join(clone, 'bin', 'dvas.js'));
    const run = spawnSync(process.execPath, [join(clone, 'bin', 'dvas.js'), 'whoami'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('error: dvas is not built yet: run npm install and npm run build in its folder first.\n');
  });
});
