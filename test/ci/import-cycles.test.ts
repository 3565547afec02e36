import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/build.js';
import { importCycles, importGraph, type ImportEdge } from '../helpers/import-graph.js';

/** One line per cycle: its files, and the imports that close it (with their kind). */
function describeCycles(cycles: string[][], edges: readonly ImportEdge[]): string[] {
  return cycles.map((files) => {
    const inside = new Set(files);
    const links = edges.filter((edge) => inside.has(edge.from) && inside.has(edge.to)).map((edge) => `${edge.from} -${edge.kind}-> ${edge.to}`);
    return `${files.length} files: ${links.join(', ')}`;
  });
}

/**
 * No module of src/ reaches itself through its imports. A runtime cycle makes evaluation order
 * matter (a module can see another half-initialised); a cycle through type imports only is still
 * two designs that cannot be understood, changed or tested apart. When this fails, pass the
 * dependency in or give the consumer a narrow interface of what it reads (as the authority's
 * grants and the batch's dispatcher do), rather than importing the whole.
 */
describe('the import graph of src/', () => {
  const edges = importGraph(ROOT, 'src');

  it('has no runtime cycle (static or lazy imports)', () => {
    const runtime = edges.filter((edge) => edge.kind !== 'type');
    expect(describeCycles(importCycles(runtime), runtime)).toEqual([]);
  });

  it('has no cycle through type imports either', () => {
    expect(describeCycles(importCycles(edges), edges)).toEqual([]);
  });

  it('is the whole of src/: every file is seen, and relative imports name files that exist', () => {
    const files = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
    expect(files.has(join('src', 'cli.ts'))).toBe(true);
    expect(files.has(join('src', 'emulator', 'http', 'dispatch.ts'))).toBe(true);
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.filter((edge) => !existsSync(join(ROOT, edge.to))).map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });
});

describe('the import-cycle check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dvas-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, 'src', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'src', name), text);
  };
  write('a.ts', "import { b } from './b.js';\nexport const a = b + 1;\n");
  write('b.ts', "import type { C } from './nested/c.js';\nexport const b = 1;\nexport type B = C;\n");
  write('nested/c.ts', "import { type B } from '../b.js';\nexport type C = number;\nexport type Loop = B;\n");
  write('d.ts', "export async function d() {\n  return (await import('./e.js')).e;\n}\n");
  write('e.ts', "export { d } from './d.js';\nexport const e = 2;\n");
  write('f.ts', "import 'node:fs';\nimport './a.js';\n");

  it('reads each import with its kind: value, type-only, or lazy', () => {
    const edges = importGraph(dir, 'src');
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: join('src', 'a.ts'), to: join('src', 'b.ts'), kind: 'static' },
        { from: join('src', 'b.ts'), to: join('src', 'nested', 'c.ts'), kind: 'type' },
        { from: join('src', 'nested', 'c.ts'), to: join('src', 'b.ts'), kind: 'type' },
        { from: join('src', 'd.ts'), to: join('src', 'e.ts'), kind: 'dynamic' },
        { from: join('src', 'e.ts'), to: join('src', 'd.ts'), kind: 'static' },
        { from: join('src', 'f.ts'), to: join('src', 'a.ts'), kind: 'static' },
      ]),
    );
    // Packages and node: built-ins are not files of the project.
    expect(edges).toHaveLength(6);
  });

  it('finds a cycle through type imports and one through a lazy import, and nothing else', () => {
    const edges = importGraph(dir, 'src');
    expect(importCycles(edges)).toEqual([
      [join('src', 'b.ts'), join('src', 'nested', 'c.ts')],
      [join('src', 'd.ts'), join('src', 'e.ts')],
    ]);
    expect(importCycles(edges.filter((edge) => edge.kind !== 'type'))).toEqual([[join('src', 'd.ts'), join('src', 'e.ts')]]);
  });

  it('counts a file that imports itself', () => {
    expect(importCycles([{ from: 'x.ts', to: 'x.ts', kind: 'static' }])).toEqual([['x.ts']]);
  });
});
