import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';

/**
 * Comments and docs cite only what a maintainer of this repository can open: the project's own
 * docs/ or Microsoft's public pages. A citation `docs/<page>.md §N` must name a page that exists
 * and a section that page has.
 */
function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const SOURCES = [
  ...filesUnder(join(ROOT, 'src'), /\.ts$/),
  ...filesUnder(join(ROOT, 'test'), /\.(ts|mjs)$/),
  ...filesUnder(join(ROOT, 'docs'), /\.md$/),
  join(ROOT, 'README.md'),
];

describe('citations in code and docs', () => {
  it('never point outside the repository', () => {
    const outside = /reference §|stack notes|\.\.\/shared|house-style\.md|dataverse-reference\.md/;
    const offenders = SOURCES.filter((file) => !file.endsWith('citations.test.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, where: `${relative(ROOT, file)}:${index + 1}` }))
          .filter(({ line }) => outside.test(line))
          .map(({ where }) => where),
      );
    expect(offenders).toEqual([]);
  });

  it('name docs pages and sections that exist', () => {
    const cited = /docs\/([\w-]+\.md)((?:,? §[\d.]*\d)+)?/g;
    const missing: string[] = [];
    for (const file of SOURCES) {
      for (const match of readFileSync(file, 'utf8').matchAll(cited)) {
        const page = join(ROOT, 'docs', match[1]!);
        if (!existsSync(page)) {
          missing.push(`${relative(ROOT, file)}: docs/${match[1]}`);
          continue;
        }
        const headings = readFileSync(page, 'utf8').split('\n').filter((line) => line.startsWith('#'));
        for (const section of match[2]?.match(/§[\d.]*\d/g) ?? []) {
          if (!headings.some((heading) => heading.includes(`${section} `))) missing.push(`${relative(ROOT, file)}: docs/${match[1]} ${section}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
