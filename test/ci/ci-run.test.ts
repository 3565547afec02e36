import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/**
 * `tools`: run with only the test's own commands on the PATH, plus links to these real ones (the
 * rest of the PATH hides zsh and fish, which .ci/run then tries to install with apt-get).
 */
function runCi(report: Report, testStatus: number, node24: Report = GREEN, node24Status = 0, tools?: { aptGetStatus: number }): { status: number | null; lines: string[]; aptGet: string } {
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
  // Never the real apt-get (for zsh and fish): it records what it was asked and answers as told.
  const aptLog = join(root, 'apt-get.log');
  writeFileSync(join(fakeBin, 'apt-get'), `#!/usr/bin/env bash\necho "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> '${aptLog}'\nexit ${tools?.aptGetStatus ?? 0}\n`);
  chmodSync(join(fakeBin, 'apt-get'), 0o755);
  // Not root: .ci/run asks `sudo -n`, which here runs the test's apt-get, never the real one.
  writeFileSync(join(fakeBin, 'sudo'), '#!/usr/bin/env bash\n[ "$1" = -n ] && shift\nexec "$@"\n');
  chmodSync(join(fakeBin, 'sudo'), 0o755);
  let path = `${fakeBin}:${process.env.PATH ?? ''}`;
  if (tools) {
    for (const tool of ['bash', 'dirname', 'rm', 'id', 'timeout', 'env']) {
      const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (real) symlinkSync(real, join(fakeBin, tool));
    }
    symlinkSync(process.execPath, join(fakeBin, 'node'));
    path = fakeBin;
  }
  const result = spawnSync('bash', [join(root, '.ci', 'run')], { env: { ...process.env, PATH: path }, encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trimEnd().split('\n'), aptGet: existsSync(aptLog) ? readFileSync(aptLog, 'utf8') : '' };
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

  it('installs zsh and fish for the completion tests when they are missing', () => {
    const { status, lines, aptGet } = runCi(GREEN, 0, GREEN, 0, { aptGetStatus: 0 });
    expect(status).toBe(0);
    // Never a prompt (debconf), nothing but the two shells.
    expect(aptGet).toMatch(/^DEBIAN_FRONTEND=noninteractive -y -qq --no-install-recommends install zsh fish$/m);
    expect(lines.at(-1)).toBe('20 passed, 0 failed');
  });

  it('goes on when zsh and fish cannot be installed, and says so', () => {
    const { status, lines } = runCi(GREEN, 0, GREEN, 0, { aptGetStatus: 100 });
    expect(status).toBe(0);
    expect(lines).toContain('note: zsh and fish could not be installed; their completion tests are skipped');
    expect(lines.at(-1)).toBe('20 passed, 0 failed');
  });

  it('a type check or build that fails before any test runs ends with "0 passed, 1 failed"', () => {
    const { status, lines } = runCi(null, 2);
    expect(status).toBe(2);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });
});
