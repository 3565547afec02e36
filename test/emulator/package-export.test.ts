import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/build.js';

/**
 * `import { startEmulator } from 'dvas/emulator'` as another project's test suite writes it: a
 * script outside this repository, with dvas in its node_modules (a link, as `npm link` or a
 * workspace makes), run by plain Node. The types of the same import are checked by
 * test/contract/emulator-declaration.ts.
 */
describe('dvas/emulator, imported by package name', () => {
  let project: string;
  beforeAll(() => {
    ensureBuilt();
    project = mkdtempSync(join(tmpdir(), 'dvas-consumer-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'dvas'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  }, 180_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  function run(source: string) {
    writeFileSync(join(project, 'consumer.mjs'), source);
    // The script ends only if close() lets go of everything the emulator held open; the timeout
    // turns a hang into a failure instead of a stuck suite.
    return spawnSync(process.execPath, ['consumer.mjs'], { cwd: project, encoding: 'utf8', timeout: 20_000 });
  }

  it('starts an emulator, answers WhoAmI over HTTP, and lets the process end after close()', () => {
    const result = run(`
      import { startEmulator, DEMO_APP } from 'dvas/emulator';
      const emulator = await startEmulator();
      const response = await fetch(emulator.apiUrl + 'WhoAmI', {
        headers: { Authorization: 'Bearer ' + emulator.issueToken(DEMO_APP.email), Accept: 'application/json' },
      });
      const app = emulator.users.find((user) => user.applicationid === DEMO_APP.clientId);
      console.log(JSON.stringify({ url: emulator.url, status: response.status, body: await response.json(), app: app.systemuserid }));
      await emulator.close();
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.status).toBe(200);
    expect(printed.body.UserId).toBe(printed.app);
  });

  it('exports only the emulator: the CLI internals are not a public entry', () => {
    const result = run(`await import('dvas/dist/cli.js');`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
