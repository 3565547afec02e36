import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './build.js';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/**
 * The source files behind the module URLs a run loaded, as paths relative to the repository
 * (`src/cli.ts`, `node_modules/undici/lib/…`). dist/ is an esbuild bundle (esbuild.config.mjs), so
 * one loaded file holds many sources: its metafile (dist/bundle-meta.json) says which. Anything
 * loaded from outside dist/ is reported as its own path (or URL, for node: built-ins).
 */
export function loadedSources(urls: readonly string[]): string[] {
  const meta = JSON.parse(readFileSync(`${ROOT}dist/bundle-meta.json`, 'utf8')) as Metafile;
  return urls.flatMap((url) => {
    if (!url.startsWith('file:')) return [url];
    const path = relative(ROOT, fileURLToPath(url)).split('\\').join('/');
    const output = meta.outputs[path];
    return output ? Object.keys(output.inputs) : [path];
  });
}
