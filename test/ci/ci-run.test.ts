import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * .ci/run (issue 2): it ends with exactly the line `N passed, N failed` taken from the test run.
 * The script runs from a copy in a temporary folder, with an `npm` of the test's own on the PATH
 * that writes the vitest JSON report `npm test` would write, so nothing is installed or run.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function runCi(report: Record<string, number> | null, testStatus: number): { status: number | null; lines: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'dvas-ci-run-'));
  dirs.push(root);
  mkdirSync(join(root, '.ci'));
  copyFileSync(join(ROOT, '.ci', 'run'), join(root, '.ci', 'run'));
  const fakeBin = join(root, 'fake-bin');
  mkdirSync(fakeBin);
  const write = report ? `echo '${JSON.stringify(report)}' > .vitest-report.json` : '';
  writeFileSync(join(fakeBin, 'npm'), `#!/usr/bin/env bash\nif [ "$1" = test ]; then ${write}\n exit ${testStatus}; fi\nexit 0\n`);
  chmodSync(join(fakeBin, 'npm'), 0o755);
  const result = spawnSync('bash', [join(root, '.ci', 'run')], { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trimEnd().split('\n') };
}

describe.skipIf(process.platform === 'win32')('.ci/run', () => {
  it('ends with exactly "N passed, N failed", also when tests were skipped', () => {
    const { status, lines } = runCi({ numPassedTests: 12, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1 }, 0);
    expect(status).toBe(0);
    expect(lines.at(-1)).toBe('12 passed, 0 failed');
  });

  it('passes the failure on and still ends with the counts', () => {
    const { status, lines } = runCi({ numPassedTests: 3, numFailedTests: 2, numPendingTests: 0, numTodoTests: 0 }, 1);
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe('3 passed, 2 failed');
  });

  it('a type check or build that fails before any test runs ends with "0 passed, 1 failed"', () => {
    const { status, lines } = runCi(null, 2);
    expect(status).toBe(2);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });
});
