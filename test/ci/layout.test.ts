import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * What the project cannot do without at its top level. The check is of what must exist, not that
 * nothing else does: a LICENSE, a CONTRIBUTING.md or a new tool's config file is welcome.
 */
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', '.npmrc', '.gitignore', '.ci/run'];
const FOLDERS = ['bin', 'src', 'test', 'docs', 'schemas'];

describe('the top level of the repository', () => {
  it.each(FILES)('has the file %s', (name) => {
    expect(existsSync(join(ROOT, name)) && statSync(join(ROOT, name)).isFile()).toBe(true);
  });

  it.each(FOLDERS)('has the folder %s/', (name) => {
    expect(existsSync(join(ROOT, name)) && statSync(join(ROOT, name)).isDirectory()).toBe(true);
  });
});
