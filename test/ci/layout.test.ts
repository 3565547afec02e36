import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * Issue 2: the top level is exactly package.json, tsconfig.json, bin/, src/, test/, README.md, plus
 * .ci/, .npmrc, the lockfile, tool config files, docs/ and schemas/ (the -o json contracts). What the build, the tests and npm leave
 * behind (.gitignore'd) and git's own folder are not part of the project's layout.
 */
const DESIGNED = ['package.json', 'tsconfig.json', 'bin', 'src', 'test', 'README.md', '.ci', '.npmrc', 'package-lock.json', 'docs', 'schemas', '.gitignore'];
const TOOL_CONFIG = /^[\w-]+\.config\.(ts|mjs|js|json)$/;
const GENERATED = /^(\.git|node_modules|dist|dist\..*|coverage|\.vitest-report\.json|.*\.log)$/;

describe('the top level of the repository', () => {
  it('holds only what the design names, tool config files and docs/', () => {
    const extra = readdirSync(ROOT).filter((name) => !DESIGNED.includes(name) && !TOOL_CONFIG.test(name) && !GENERATED.test(name));
    expect(extra).toEqual([]);
  });
});
