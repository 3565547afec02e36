import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * .ci/run: it runs `npm test` (the README's test command) on the machine's Node, then the suite
 * again on Node 24 through `npx -p node@24`, and ends with exactly the line `N passed, N failed`
 * over both runs. The script runs from a copy in a temporary folder, with an `npm` and an `npx` of
 * the test's own on the PATH that write the vitest JSON reports the real runs would write, so
 * nothing is installed or run.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Report = Record<string, number> | null;
const GREEN: Report = { numPassedTests: 10, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };

function runCi(report: Report, testStatus: number, node24: Report = GREEN, node24Status = 0): { status: number | null; lines: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'dvas-ci-run-'));
  dirs.push(root);
  mkdirSync(join(root, '.ci'));
  copyFileSync(join(ROOT, '.ci', 'run'), join(root, '.ci', 'run'));
  const fakeBin = join(root, 'fake-bin');
  mkdirSync(fakeBin);
  const write = report ? `echo '${JSON.stringify(report)}' > .vitest-report.json` : '';
  writeFileSync(join(fakeBin, 'npm'), `#!/usr/bin/env bash\nif [ "$1" = test ]; then ${write}\n exit ${testStatus}; fi\nexit 0\n`);
  chmodSync(join(fakeBin, 'npm'), 0o755);
  // The Node 24 run writes the report named by DVAS_TEST_REPORT, as vitest.config.ts does.
  const write24 = node24 ? `echo '${JSON.stringify(node24)}' > "$DVAS_TEST_REPORT"` : '';
  writeFileSync(join(fakeBin, 'npx'), `#!/usr/bin/env bash\n${write24}\nexit ${node24Status}\n`);
  chmodSync(join(fakeBin, 'npx'), 0o755);
  const result = spawnSync('bash', [join(root, '.ci', 'run')], { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trimEnd().split('\n') };
}

describe.skipIf(process.platform === 'win32')('.ci/run', () => {
  it('ends with exactly "N passed, N failed", also when tests were skipped', () => {
    const { status, lines } = runCi({ numPassedTests: 12, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1 }, 0);
    expect(status).toBe(0);
    expect(lines.at(-2)).toBe('2 skipped');
    expect(lines.at(-1)).toBe('22 passed, 0 failed');
  });

  it('counts both runs and names each: the machine\'s Node, then Node 24', () => {
    const { status, lines } = runCi(GREEN, 0, { numPassedTests: 9, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0 }, 1);
    expect(status).toBe(1);
    expect(lines).toContain(`node ${process.version}: 10 passed, 0 failed`);
    expect(lines).toContain('node 24: 9 passed, 1 failed');
    expect(lines.at(-1)).toBe('19 passed, 1 failed');
  });

  it('fails when the suite could not run on Node 24 at all (node@24 not to be had)', () => {
    const { status, lines } = runCi(GREEN, 0, null, 1);
    expect(status).toBe(1);
    expect(lines).toContain('node 24: the suite did not run');
    expect(lines.at(-1)).toBe('10 passed, 1 failed');
  });

  it('passes the failure on and still ends with the counts', () => {
    const { status, lines } = runCi({ numPassedTests: 3, numFailedTests: 2, numPendingTests: 0, numTodoTests: 0 }, 1);
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe('13 passed, 2 failed');
  });

  it('a type check or build that fails before any test runs ends with "0 passed, 1 failed"', () => {
    const { status, lines } = runCi(null, 2);
    expect(status).toBe(2);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });
});
